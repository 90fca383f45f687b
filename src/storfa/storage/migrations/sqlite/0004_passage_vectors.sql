-- Passage embeddings, one row per passage and model. pgvector is not in
-- Debian bookworm's packages, so vectors are stored as little-endian float32
-- bytes on both backends and searched in the application (search/vectors.py).
CREATE TABLE passage_vectors (
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    model      TEXT NOT NULL,
    dim        INTEGER NOT NULL,
    vector     BLOB NOT NULL,
    PRIMARY KEY (passage_id, model)
);
CREATE INDEX passage_vectors_model ON passage_vectors(model, passage_id);
