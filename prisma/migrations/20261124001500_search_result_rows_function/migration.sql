-- What the search page shows for a page of hits, in one call (search-queries.server.ts). A PL/pgSQL
-- function keeps the plan of its query for the connection: sent as a plain statement, the four-table join
-- was parsed and planned on every search (0.94 ms p50 against 0.54 ms through the function, measured
-- on the large dataset). Named prepared statements would keep the plan too, but the embedded
-- database serves every connection from one backend, where names collide (ADR 027). The migration
-- runner splits the script on every semicolon, even in strings, so the body is an E-string whose
-- semicolons are the octal escape \073 (as in the reputation rollup migration).
CREATE OR REPLACE FUNCTION search_result_rows(keys text[])
RETURNS TABLE (doc_key text, doc_type text, title text, body text, category_id integer, resolved boolean, handle text, display_name text, expert_category_ids integer[])
LANGUAGE plpgsql STABLE AS E'
BEGIN
  RETURN QUERY
  SELECT d.doc_key, d.doc_type, d.title, d.body, d.category_id, d.resolved, u.handle, u.display_name, u.expert_category_ids
  FROM search_documents d
  LEFT JOIN threads t ON d.doc_type = ''thread'' AND t.id = split_part(d.doc_key, '':'', 2)::bigint
  LEFT JOIN articles a ON d.doc_type = ''article'' AND a.id = split_part(d.doc_key, '':'', 2)::bigint
  LEFT JOIN users u ON u.id = coalesce(t.author_id, a.owner_id)
  WHERE d.doc_key = ANY(keys) AND d.visible\073
END
';
