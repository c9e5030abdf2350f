-- 010: the login limit's counts (src/store/login-limits.ts), in the store so that every `serve` process
-- shares them and a restart keeps them. One row per client address and per email tried, by SHA-256.
create table login_limits (
  key          text primary key,               -- hex SHA-256 of 'address:<ip>' or 'email:<email>'
  tries        integer not null,               -- tries counted in the window (a successful login gives its own back)
  window_ends  timestamptz not null            -- the window starts at its first try and does not slide
);
create index login_limits_window_ends on login_limits (window_ends);
