# The market clock across runs of market.sh, which sources this file.
# The services share one clock: market time = Epoch + (wall now - Anchor) x Speed (MarketClock:*). A
# run's three numbers are kept in the state folder with the last wall time the run was known alive, so
# the next run continues market time from where the last one stopped. Restarting at today's date
# instead would put the stored leases, meters and invoices of an accelerated market in the future.
# Market time never goes back: a run starts at the last stop, or at the wall clock if that is later.
#
# <state>/clock.env, one name=value a line, times in milliseconds since the Unix epoch:
#   anchor_ms  the wall time the run started      epoch_ms  the market time then
#   speed      market seconds per wall second     seen_ms   the run was alive until at least then

wall_ms() { date +%s%3N; }

iso_ms() { date -u -d "@$(($1 / 1000)).$(printf '%03d' $(($1 % 1000)))" +%Y-%m-%dT%H:%M:%S.%3NZ; }

# The market time at seen_ms of the run recorded in <file>.
market_clock_stopped_at() { # file
  local anchor_ms epoch_ms speed seen_ms
  . "$1"
  awk -v e="$epoch_ms" -v a="$anchor_ms" -v s="$seen_ms" -v k="$speed" 'BEGIN { printf "%.0f\n", e + (s - a) * k }'
}

# Starts this run's clock and exports it to the services.
market_clock_start() { # state-dir speed
  local file=$1/clock.env speed=$2 now epoch
  [[ $speed =~ ^[0-9]+([.][0-9]+)?$ ]] && awk -v k="$speed" 'BEGIN { exit !(k > 0) }' ||
    { echo "market clock: speed must be a positive number, not '$speed'" >&2; return 1; }
  now=$(wall_ms)
  epoch=$now
  if [ -s "$file" ]; then
    epoch=$(market_clock_stopped_at "$file")
    [ "$epoch" -ge "$now" ] || epoch=$now
  fi
  mkdir -p "$1"
  printf 'anchor_ms=%s\nepoch_ms=%s\nspeed=%s\nseen_ms=%s\n' "$now" "$epoch" "$speed" "$now" >"$file.new"
  mv "$file.new" "$file"
  export MarketClock__Anchor MarketClock__Epoch MarketClock__Speed=$speed
  MarketClock__Anchor=$(iso_ms "$now")
  MarketClock__Epoch=$(iso_ms "$epoch")
}

# Records that the run is alive until at least <ahead> ms from now (0 at the stop).
market_clock_seen() { # state-dir ahead-ms
  local file=$1/clock.env
  [ -s "$file" ] || return 0
  sed "s/^seen_ms=.*/seen_ms=$(($(wall_ms) + $2))/" "$file" >"$file.new" && mv "$file.new" "$file"
}

# While the run lasts: a crash or kill -9 skips the stop's record, so the last beat, which looks a
# beat ahead, still says where the market got to.
market_clock_heartbeat() { # state-dir
  while sleep 2; do market_clock_seen "$1" 4000; done
}
