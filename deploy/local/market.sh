#!/usr/bin/env bash
# Marketplace on one machine.
#   market.sh run    install Redis and RabbitMQ if missing, start them and the three services with the
#                    seeded market, print where each listens; Ctrl-C stops everything it started.
#   market.sh test   install what is missing, check the Kubernetes manifests (deploy/k8s/check.sh), then
#                    run the whole test suite against real servers.
#   market.sh demo   run, with the market clock at an hour a second, then play a scripted demo day.
#   market.sh install-cli [--tool-path DIR]   pack marketctl and install it as a .NET tool.
#   market.sh reset [--yes]   delete the state folder: data, keys, logs and the market clock.
# MARKET_CLOCK_SPEED=3600 market.sh run: the market clock runs an hour a second (meters, leases, holds);
# the next run continues market time from where this one stopped.
# Servers you already have: set ConnectionStrings__Redis and/or ConnectionStrings__RabbitMq (run), or
# MARKETPLACE_TEST_REDIS and/or MARKETPLACE_TEST_RABBITMQ (test); those are used and not started.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE=${MARKET_STATE_DIR:-$ROOT/.market}
REDIS_PORT=${MARKET_REDIS_PORT:-6380}
QUOTE_CACHE_PORT=${MARKET_QUOTE_CACHE_PORT:-6381}
RABBITMQ_PORT=${MARKET_RABBITMQ_PORT:-5673}
PROVIDER_PORT=${MARKET_PROVIDER_PORT:-5101}
BROKER_PORT=${MARKET_BROKER_PORT:-5102}
BILLING_PORT=${MARKET_BILLING_PORT:-5103}
CONSOLE_PORT=${MARKET_CONSOLE_PORT:-5110}
JSON_PORT_OFFSET=100 # HTTP/JSON routes: provider 5201, broker 5202, billing 5203
RABBITMQ_BIN=/usr/lib/rabbitmq/bin
RABBITMQ_NODE=market-$(id -un)@localhost
PIDS=()

. "$ROOT/deploy/local/market-clock.sh"

say() { printf '\033[1m[market]\033[0m %s\n' "$*"; }
die() { printf '[market] error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $*"; fi
}

# Debian's packages: Redis 7.0 and RabbitMQ 3.10. Installed only when missing.
ensure_servers_installed() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  [ -x "$RABBITMQ_BIN/rabbitmq-server" ] || missing+=(rabbitmq-server)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} (apt-get)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

ensure_dotnet() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK is needed: https://learn.microsoft.com/dotnet/core/install/linux-debian"
}

wait_for_port() { # port seconds what
  local deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || die "$3 did not open port $1 within $2 s (logs in $STATE/logs)"
    sleep 0.3
  done
}

start_redis() {
  mkdir -p "$STATE/redis"
  # AOF with fsync on every write: an acknowledged hold or ledger posting survives a crash.
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$STATE/redis" --appendonly yes \
    --appendfsync always --save "" --daemonize no >"$STATE/logs/redis.log" 2>&1 &
  PIDS+=($!)
  wait_for_port "$REDIS_PORT" 20 redis
  export ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT"
  REDIS_STARTED=1
  say "redis     127.0.0.1:$REDIS_PORT (data in $STATE/redis)"
}

# The broker's quotes: short-lived and re-derivable, so kept in memory only (no AOF, no snapshot). A
# quote lost with it is asked for again; what an accept commits is in the market's Redis above.
start_quote_cache() {
  redis-server --port "$QUOTE_CACHE_PORT" --bind 127.0.0.1 --dir "$STATE/redis" --appendonly no --save "" \
    --daemonize no >"$STATE/logs/quote-cache.log" 2>&1 &
  PIDS+=($!)
  wait_for_port "$QUOTE_CACHE_PORT" 20 "the quote cache"
  export ConnectionStrings__QuoteCache="127.0.0.1:$QUOTE_CACHE_PORT"
  say "quotes    127.0.0.1:$QUOTE_CACHE_PORT (in memory only)"
}

# A private RabbitMQ node with its own folder, cookie and ports; nothing from /etc/rabbitmq leaks in.
rabbitmq_env() {
  local dir=$STATE/rabbitmq
  env HOME="$dir" RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" RABBITMQ_NODENAME="$RABBITMQ_NODE" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$RABBITMQ_PORT" RABBITMQ_DIST_PORT=$((RABBITMQ_PORT + 20000)) \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$dir/pid" \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" "$@"
}

start_rabbitmq() {
  local dir=$STATE/rabbitmq
  mkdir -p "$dir"
  : >"$dir/rabbitmq-env.conf"; : >"$dir/rabbitmq.conf"
  echo "[]." >"$dir/advanced.config"; echo "[]." >"$dir/enabled_plugins"
  if [ ! -f "$dir/.erlang.cookie" ]; then
    (LC_ALL=C tr -dc A-Z </dev/urandom | head -c 20 >"$dir/.erlang.cookie") || true
    chmod 400 "$dir/.erlang.cookie" # Erlang refuses a cookie others can read
  fi
  rabbitmq_env "$RABBITMQ_BIN/rabbitmq-server" >"$STATE/logs/rabbitmq.log" 2>&1 &
  PIDS+=($!)
  RABBITMQ_STARTED=1
  wait_for_port "$RABBITMQ_PORT" 90 rabbitmq
  export ConnectionStrings__RabbitMq="amqp://guest:guest@127.0.0.1:$RABBITMQ_PORT/"
  say "rabbitmq  amqp://127.0.0.1:$RABBITMQ_PORT (node $RABBITMQ_NODE, data in $dir)"
}

start_service() { # Name port extra-env...
  local name=$1 port=$2; shift 2
  env "$@" dotnet "$ROOT/services/$name/bin/Release/net10.0/Marketplace.$name.dll" \
    --urls "http://127.0.0.1:$port" --JsonUrls "http://127.0.0.1:$((port + JSON_PORT_OFFSET))" \
    --contentRoot "$ROOT/services/$name" >"$STATE/logs/${name,,}.log" 2>&1 &
  PIDS+=($!)
  wait_for_port "$port" 120 "$name"
}

marketctl() { dotnet "$ROOT/cli/Marketplace.Cli/bin/Release/net10.0/marketctl.dll" "$@"; }

# One development signing key, kept in .market/ so tokens printed earlier stay valid.
ensure_signing_key() {
  if [ -z "${Auth__SigningKey:-}" ]; then
    [ -s "$STATE/signing.key" ] || (umask 077; head -c 48 /dev/urandom | base64 -w0 >"$STATE/signing.key")
    Auth__SigningKey=$(cat "$STATE/signing.key")
  fi
  export Auth__SigningKey MARKET_SIGNING_KEY=$Auth__SigningKey
}

print_tokens() {
  local file=$STATE/tokens.env
  {
    echo "OPERATOR_TOKEN=$(marketctl dev token --role operator --subject ops --lifetime 24h)"
    echo "TENANT_TOKEN=$(marketctl dev token --role tenant --subject acme-ai --lifetime 24h)"
    echo "PROVIDER_TOKEN=$(marketctl dev token --role provider --subject tencent-cloud --lifetime 24h)"
  } >"$file"
  say "development tokens (24 h) in $file: operator 'ops', tenant 'acme-ai', provider 'tencent-cloud'"
  say "  set -a; . $file; set +a;  MARKET_TOKEN=\$TENANT_TOKEN marketctl leases --tenant acme-ai"
}

# The services first, while Redis and RabbitMQ still answer their last writes, so they shut down
# cleanly and the market clock's stop is when they did; then the servers.
stop_all() {
  trap - INT TERM EXIT
  say "stopping"
  local servers=("${PIDS[@]:0:${SERVERS:-${#PIDS[@]}}}") services=("${PIDS[@]:${SERVERS:-${#PIDS[@]}}}")
  for ((i = ${#services[@]} - 1; i >= 0; i--)); do kill "${services[i]}" 2>/dev/null || true; done
  [ ${#services[@]} -eq 0 ] || wait "${services[@]}" 2>/dev/null || true
  if [ -n "${CLOCK_STARTED:-}" ]; then market_clock_seen "$STATE" 0; fi
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "${RABBITMQ_STARTED:-}" ]; then rabbitmq_env "$RABBITMQ_BIN/rabbitmqctl" -n "$RABBITMQ_NODE" stop >/dev/null 2>&1 || true; fi
  wait 2>/dev/null || true
}

run() {
  ensure_dotnet
  mkdir -p "$STATE/logs"
  trap 'stop_all; exit 0' INT TERM
  trap stop_all EXIT
  [ -n "${ConnectionStrings__Redis:-}" ] && [ -n "${ConnectionStrings__RabbitMq:-}" ] || ensure_servers_installed
  if [ -n "${ConnectionStrings__Redis:-}" ]; then say "redis     $ConnectionStrings__Redis (yours)"; else start_redis; fi
  # Quotes stay in the market's Redis when you bring yours and name no cache.
  if [ -n "${ConnectionStrings__QuoteCache:-}" ]; then say "quotes    $ConnectionStrings__QuoteCache (yours)"
  elif [ -n "${REDIS_STARTED:-}" ]; then start_quote_cache; fi
  if [ -n "${ConnectionStrings__RabbitMq:-}" ]; then say "rabbitmq  (yours)"; else start_rabbitmq; fi
  SERVERS=${#PIDS[@]} # what stop_all stops last

  ensure_signing_key
  say "building the services and marketctl (Release)"
  for project in services/Provider services/Broker services/Billing services/Console cli/Marketplace.Cli; do
    dotnet build "$ROOT/$project" -c Release -v quiet -nologo >/dev/null
  done

  # One market clock for all three services, continued from the last run (MARKET_CLOCK_SPEED=3600: an
  # hour a second). Started after the build, so no market time passes while nothing runs.
  market_clock_start "$STATE" "${MARKET_CLOCK_SPEED:-1}" || die "MARKET_CLOCK_SPEED must be a positive number"
  CLOCK_STARTED=1
  market_clock_heartbeat "$STATE" &
  PIDS+=($!)
  say "market clock at ${MarketClock__Speed}x real time, from $MarketClock__Epoch ('reset' starts afresh)"

  start_service Provider "$PROVIDER_PORT" Provider__LoadSeeds=true
  start_service Billing "$BILLING_PORT"
  start_service Broker "$BROKER_PORT" Broker__ProviderAddress="http://127.0.0.1:$PROVIDER_PORT" \
    Broker__BillingAddress="http://127.0.0.1:$BILLING_PORT"
  dotnet "$ROOT/services/Console/bin/Release/net10.0/Marketplace.Console.dll" --urls "http://127.0.0.1:$CONSOLE_PORT" \
    --Console:BillingAddress "http://127.0.0.1:$BILLING_PORT" --Console:BrokerAddress "http://127.0.0.1:$BROKER_PORT" \
    --Console:ProviderAddress "http://127.0.0.1:$PROVIDER_PORT" --contentRoot "$ROOT/services/Console" \
    >"$STATE/logs/console.log" 2>&1 &
  PIDS+=($!)
  wait_for_port "$CONSOLE_PORT" 120 Console

  say "provider  grpc http://127.0.0.1:$PROVIDER_PORT  json http://127.0.0.1:$((PROVIDER_PORT + JSON_PORT_OFFSET))  (seeds loaded)"
  say "broker    grpc http://127.0.0.1:$BROKER_PORT  json http://127.0.0.1:$((BROKER_PORT + JSON_PORT_OFFSET))"
  say "billing   grpc http://127.0.0.1:$BILLING_PORT  json http://127.0.0.1:$((BILLING_PORT + JSON_PORT_OFFSET))"
  say "console   http://127.0.0.1:$CONSOLE_PORT  (sign in with the operator token; /tenant/ with a tenant's)"
  print_tokens
  say "logs in $STATE/logs; try: grpcurl -plaintext 127.0.0.1:$PROVIDER_PORT list"
  if [ -n "${MARKET_DEMO:-}" ]; then
    say "playing the demo day"
    marketctl demo || say "the demo day failed; see above"
  fi
  say "running; Ctrl-C stops everything started here"
  wait -n "${PIDS[@]}" || true
  die "a process exited; see $STATE/logs"
}

# Debian's Chromium (and a CJK font for hub names), for the operator console's browser test: Playwright
# drives it; no browser is downloaded.
ensure_browser() {
  if [ ! -x /usr/bin/chromium ]; then
    say "installing chromium (apt-get)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
  fi
}

test_suite() {
  ensure_dotnet
  [ -n "${MARKETPLACE_TEST_REDIS:-}" ] && [ -n "${MARKETPLACE_TEST_RABBITMQ:-}" ] || ensure_servers_installed
  ensure_browser
  # The Kubernetes manifests: every overlay rendered and checked, no cluster needed (seconds).
  bash "$ROOT/deploy/k8s/check.sh"
  local log
  log=$(mktemp)
  # The integration fixture starts its own Redis and RabbitMQ on free ports (or uses the variables above).
  set +e
  dotnet test "$ROOT/Marketplace.sln" -c Release --nologo "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  # One closing line for the whole suite, summed over the test assemblies.
  awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
       END { gsub(",", "", p); printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
  rm -f "$log"
  return "$status"
}

# marketctl as a .NET tool, packed from this checkout into $STATE/packages. Each pack gets its own
# version: a reinstall of an unchanged version number would be served from NuGet's cache.
install_cli() {
  local tool_path="" where version
  while [ $# -gt 0 ]; do
    case "$1" in
      --tool-path) [ $# -ge 2 ] || die "--tool-path needs a folder"; tool_path=$2; shift 2 ;;
      *) die "install-cli: unknown option '$1' (install-cli [--tool-path DIR])" ;;
    esac
  done
  ensure_dotnet
  mkdir -p "$STATE/packages"
  rm -f "$STATE/packages"/Marketplace.Marketctl.*.nupkg # only the latest pack is offered
  version=$(dotnet msbuild "$ROOT/cli/Marketplace.Cli" -getProperty:VersionPrefix)-local.$(date -u +%Y%m%d%H%M%S)
  say "packing marketctl $version (Release) into $STATE/packages"
  dotnet pack "$ROOT/cli/Marketplace.Cli" -c Release -v quiet -nologo -o "$STATE/packages" -p:PackageVersion="$version" >&2
  if [ -n "$tool_path" ]; then
    tool_path=$(mkdir -p "$tool_path" && cd "$tool_path" && pwd)
    where=(--tool-path "$tool_path")
  else
    where=(--global)
    tool_path=$HOME/.dotnet/tools
  fi
  dotnet tool update Marketplace.Marketctl "${where[@]}" --version "$version" --add-source "$STATE/packages" >/dev/null
  say "marketctl $version installed in $tool_path"
  case ":$PATH:" in
    *":$tool_path:"*) ;;
    *) say "  put it on PATH: export PATH=\"\$PATH:$tool_path\"  (in ~/.bashrc to keep it)" ;;
  esac
}

# Forget the market: its data, signing key, tokens, logs and clock. Refused while it runs.
reset() {
  [ "${1:-}" = --yes ] || [ $# -eq 0 ] || die "reset: unknown option '$1' (reset [--yes])"
  [ -e "$STATE" ] || { say "nothing to reset: $STATE does not exist"; return 0; }
  if (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null; then
    die "a market is running (port $REDIS_PORT answers): stop it first"
  fi
  if [ "${1:-}" != --yes ]; then
    [ -t 0 ] || die "reset: say --yes to delete $STATE without a prompt"
    local answer
    read -r -p "delete $STATE (the market's data, signing key, logs and clock)? [y/N] " answer
    [[ $answer =~ ^[Yy] ]] || { say "kept $STATE"; return 0; }
  fi
  rm -rf -- "$STATE"
  say "deleted $STATE; the next run starts a new market"
}

case "${1:-}" in
  run) shift; run "$@" ;;
  demo) shift; export MARKET_DEMO=1 MARKET_CLOCK_SPEED=${MARKET_CLOCK_SPEED:-3600}; run "$@" ;;
  test) shift; test_suite "$@" ;;
  install-cli) shift; install_cli "$@" ;;
  reset) shift; reset "$@" ;;
  *) echo "usage: $0 run | demo | test [dotnet test options] | install-cli [--tool-path DIR] | reset [--yes]" >&2; exit 2 ;;
esac
