#!/usr/bin/env bash
# memoscope's test command: installs what the tests need on this machine, then runs them all
# (docker/validate.sh for the compose stack's files, then mvn -B verify: unit tests, the
# embedded-broker tests, and the launcher jar's integration tests).
# Extra arguments go to Maven, e.g. ./test.sh -pl protocol
set -euo pipefail
cd "$(dirname "$0")"

# What the tests need, as "check|Debian package": a command on the PATH or an installed package.
requirements=(
  "command:java|openjdk-17-jdk-headless"
  "command:javac|openjdk-17-jdk-headless"
  "command:mvn|maven"
  "package:dataset-fashion-mnist|dataset-fashion-mnist"   # the real-data ingest test
  "command:promtool|prometheus"                           # the Prometheus scrape test, the stack's checks
  "command:docker-compose|docker-compose"                 # validates docker-compose.yml (no engine is run)
  "command:python3|python3"
  "package:python3-yaml|python3-yaml"
  "package:python3-confluent-kafka|python3-confluent-kafka" # the Python producer example (Debian's /usr/bin/python3)
  "package:python3-avro|python3-avro"                     # the Python producer example
  "command:chromium|chromium"                             # the live page's test in a headless browser
  "command:chromedriver|chromium-driver"
  "package:fonts-dejavu-core|fonts-dejavu-core"           # text in the experiment report's charts
  "package:libfontconfig1|libfontconfig1"
)

missing=()
for requirement in "${requirements[@]}"; do
  check=${requirement%%|*}
  package=${requirement##*|}
  case $check in
    command:*) command -v "${check#command:}" >/dev/null 2>&1 && continue ;;
    package:*) dpkg -s "${check#package:}" >/dev/null 2>&1 && continue ;;
  esac
  [[ " ${missing[*]} " == *" $package "* ]] || missing+=("$package")
done

if ((${#missing[@]})); then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "test.sh: installing ${missing[*]} with apt-get" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "test.sh: missing ${missing[*]} and no apt-get here; install a JDK 17+ and Maven 3.8+ yourself, then run ./test.sh again" >&2
    exit 1
  fi
fi

java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${java_major%%.*}" -lt 17 ] 2>/dev/null; then
  echo "test.sh: Java ${java_major} found; memoscope needs Java 17 or newer (set JAVA_HOME)" >&2
  exit 1
fi

# The docker-compose stack's files (compose, Prometheus, Grafana), checked without a Docker engine.
docker/validate.sh

# verify includes the format (Spotless, google-java-format) and style (Checkstyle) checks, which run first.
exec mvn -B verify "$@"
