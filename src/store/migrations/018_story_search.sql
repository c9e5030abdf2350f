-- 018: Story search (editors find a Story by words in its title and text: merge, keep apart,
-- add to an Edition). Each Item carries its own words, titles weighted above text; a Story is
-- found through its members (story_items), so whatever Items a merge or a split leaves in a Story
-- is what it is found by, with nothing to keep up to date. Generated: PostgreSQL and PGlite
-- compute it in the statement that stores the Item, and again only when an upsert changes the
-- Item (an unchanged one is not updated at all). English stemming: the samples and their readers
-- are English (`defectors` finds `defector`). Adding it computes it for every stored Item once.
alter table items add column search tsvector generated always as (
  setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', content_text), 'D')
) stored;
create index items_search on items using gin (search);
