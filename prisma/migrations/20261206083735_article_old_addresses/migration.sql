-- Old addresses of knowledge-base articles (ADR 053): a retitled or moved article's previous
-- /kb/<category>/<slug> answers 301 to its current address.
CREATE TABLE "article_old_addresses" (
    "category_id" INTEGER NOT NULL,
    "slug" TEXT NOT NULL,
    "article_id" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "article_old_addresses_pkey" PRIMARY KEY ("category_id","slug")
);

CREATE INDEX "article_old_addresses_article_id_idx" ON "article_old_addresses"("article_id");

ALTER TABLE "article_old_addresses" ADD CONSTRAINT "article_old_addresses_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every change of an article's address leaves the old one behind, whichever use case made it. An
-- address used by several articles over time points at the one that left it last.
-- The body is an escape string with \073 for each semicolon, as in the other trigger migrations.
CREATE FUNCTION articles_keep_old_address() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF NEW.slug IS DISTINCT FROM OLD.slug OR NEW.category_id IS DISTINCT FROM OLD.category_id THEN
    INSERT INTO article_old_addresses (category_id, slug, article_id)
    VALUES (OLD.category_id, OLD.slug, OLD.id)
    ON CONFLICT (category_id, slug) DO UPDATE SET article_id = EXCLUDED.article_id, created_at = CURRENT_TIMESTAMP\073
  END IF\073
  RETURN NEW\073
END
';

CREATE TRIGGER articles_keep_old_address
AFTER UPDATE OF slug, category_id ON articles
FOR EACH ROW EXECUTE FUNCTION articles_keep_old_address();
