-- 004: Topics on Stories (with why), editors' topic labels, trained topic models,
-- and what the stored tags were made with.

-- The Topics a Story carries, each with its score and explanation (matched phrases, model terms, editor).
create table story_topics (
  story_id     text not null references stories (id) on delete cascade,
  slug         text not null,
  score        real not null,
  source       text not null check (source in ('rules', 'rules+model', 'editor')),
  explanation  jsonb not null default '{}',
  tagged_at    timestamptz not null default now(),
  primary key (story_id, slug)
);
create index story_topics_slug on story_topics (slug, story_id);

-- Editors' labels: the Story carries (or does not carry) the Topic, whatever rules and model say.
-- They are also what `tags train` learns from.
create table topic_labels (
  story_id     text not null references stories (id) on delete cascade,
  slug         text not null,
  carries      boolean not null,
  editor       text,
  labelled_at  timestamptz not null default now(),
  primary key (story_id, slug)
);

-- Trained topic models; the newest is the one every worker tags with.
create table topic_models (
  id          integer generated always as identity primary key,
  trained_at  timestamptz not null default now(),
  examples    integer not null,
  model       jsonb not null
);

-- The taxonomy version and model the stored tags were made with: when either changes, every Story is tagged again.
create table tagging_state (
  id          boolean primary key default true check (id),
  version     text not null,
  updated_at  timestamptz not null default now()
);
