-- 007: editors who log in to the review pages (`newsdesk serve`), and their sessions.

create table editors (
  id             integer generated always as identity primary key,
  email          text not null unique check (email = lower(email)),
  name           text not null,
  -- scrypt$<log2 N>$<r>$<p>$<salt>$<hash>, base64 (src/web/editor/password.ts): the parameters travel with the hash.
  password_hash  text not null,
  created_at     timestamptz not null default now()
);

-- A logged-in browser. The cookie holds a random token; only its SHA-256 is stored, so a copy of the
-- database (a backup, a replica) opens no session.
create table editor_sessions (
  id             text primary key,               -- hex SHA-256 of the cookie's token
  editor_id      integer not null references editors (id) on delete cascade,
  csrf_token     text not null,                  -- every form of the session carries it; every POST must
  flash          jsonb,                          -- one message for the page after a POST (POST-redirect-GET)
  created_at     timestamptz not null default now(),
  expires_at     timestamptz not null,           -- the longest a session lives, however active
  last_seen_at   timestamptz not null default now()
);
create index editor_sessions_editor on editor_sessions (editor_id);
