-- How sure the suggester was of a model suggestion (source 'model'): the
-- cosine similarity between the evidence passage and the variable's
-- description. Empty for lexicon suggestions and for a person's decisions.
ALTER TABLE case_variable_values ADD COLUMN confidence REAL;
