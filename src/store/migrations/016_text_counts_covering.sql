-- 016: the text counts read from their index alone (issue 17's 1,000,000-Story bench). The lookup
-- reads the counts of a batch's paragraphs, a few thousand random keys: with the pages in the
-- primary key's index, an index-only scan answers them, and the table's pages (as big again) are
-- not read at random. The table is appended to; vacuum keeps its visibility map set.
alter table text_counts drop constraint text_counts_pkey;
alter table text_counts add constraint text_counts_pkey primary key (paragraph, site) include (pages);
