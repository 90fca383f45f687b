-- Hits are joined to their review by the review's current version; without
-- this index every search hydrated its hits with a scan of all reviews.
CREATE INDEX reviews_current_version ON reviews(current_version_id);
