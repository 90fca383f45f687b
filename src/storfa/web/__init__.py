"""The web application and JSON API: thin routes over the same services the
CLI uses (storfa.app.Storfa). Pages are server-rendered Jinja2 templates with
a little plain JavaScript for upload progress and keyboard shortcuts."""
