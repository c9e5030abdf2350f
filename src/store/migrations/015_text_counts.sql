-- 015: how common each paragraph is (issue 17). A notice a site prints on every article
-- page (a subscription box, a comment form, "related stories") is furniture, not evidence
-- that two of its pages are one piece of journalism. Counted once per Story: only an Item
-- that starts a Story of its own adds its paragraphs (a repost brings no new text), so the
-- counts are of different pieces of journalism, as the posting index's are.

-- paragraph (its folded words hashed as one) -> pages holding it, per site (a page's host, or the
-- Source of an archive post). Keyed paragraph first: one index range gives a paragraph's count on
-- every site, so its count overall is their sum.
create table text_counts (
  paragraph  integer not null,
  site       text not null,
  pages      integer not null,
  primary key (paragraph, site)
);

-- Where each print's page was published, its paragraphs ([hash, first word, end word) triplets,
-- int32 little-endian), and whether they are in text_counts. Prints made before this have none
-- (nothing is discounted for them) until `newsdesk stories reindex`.
alter table dedupe_prints add column site text not null default '';
alter table dedupe_prints add column paragraphs bytea not null default ''::bytea;
alter table dedupe_prints add column counted boolean not null default false;
-- For each skeleton shingle (same order), the paragraph hash it starts in: furniture's are left out too.
alter table dedupe_prints add column skeleton_owners bytea not null default ''::bytea;
