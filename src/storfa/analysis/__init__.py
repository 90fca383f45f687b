"""Case analysis (issue 7): descriptive tables, phi associations, the
co-occurrence map and review timeliness, as pure functions over tables.

Nothing here touches SQL or the web: the CLI (`storfa analyse ...`) and later
the web pages read the data, call these functions and render the results.
Methods and the rules chosen are described in docs/analysis.md.
"""
