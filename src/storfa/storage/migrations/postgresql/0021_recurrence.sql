-- Recurrence of recommendations, computed once per change, never in a
-- request (docs/recommendations.md, "What runs when").
--
-- recommendation_topic_vectors keeps the embedding of each recommendation's
-- topic (its text after the addressee) by the SHA-256 of that topic, so a
-- regrouping after one edit or one new review embeds only the new texts.
--
-- recurrence_groups holds the last grouping: one row. fingerprint is the
-- SHA-256 of the current recommendations' ids and topics it was computed
-- from, so a reader can tell it is out of date without recomputing it;
-- assignments is JSON {recommendation id: [group number, centrality]}, the
-- centrality (cosine to the group's centre) choosing a group's label among
-- the members a reader may see.

CREATE TABLE recommendation_topic_vectors (
    topic_key  TEXT NOT NULL,
    model      TEXT NOT NULL,
    vector     BYTEA NOT NULL,
    PRIMARY KEY (topic_key, model)
);

CREATE TABLE recurrence_groups (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint  TEXT NOT NULL,
    threshold    DOUBLE PRECISION NOT NULL,
    assignments  TEXT NOT NULL,
    computed_at  TEXT NOT NULL
);
