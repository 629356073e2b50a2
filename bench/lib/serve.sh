# Sourced by the bench scripts: build the CLI and start `superres serve` on a free port in the background, with the
# environment and arguments given; sets $port and $server, stops the server on exit, fails if it dies starting.
# usage: . bench/lib/serve.sh; serve [--SuperRes:Key=value ...]
serve() {
  port=$((20000 + RANDOM % 20000))
  local log
  log=$(mktemp)
  dotnet build src/SuperRes.Cli -c Release -v q --nologo >/dev/null
  dotnet src/SuperRes.Cli/bin/Release/net10.0/linux-x64/SuperRes.Cli.dll serve --urls "http://127.0.0.1:$port" "$@" >"$log" 2>&1 &
  server=$!
  # shellcheck disable=SC2064  # the log's name is fixed now
  trap "kill $server 2>/dev/null || true; rm -f '$log'" EXIT
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do
    kill -0 "$server" 2>/dev/null || { cat "$log"; return 1; }
    sleep 0.2
  done
}
