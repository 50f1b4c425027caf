#!/usr/bin/env bash
# Every test: builds the agent, runs unit and end-to-end tests with host JVMs on JDK 17, then the
# check that every JDK class a type matcher matches is named (EarlyLoadsTest) and the end-to-end suite
# again with host JVMs on JDK 25, but for the classes tagged same-on-every-jdk (SameOnEveryJdk: Warden's own
# reading of SQL, JDBC URLs, arguments and scopes, its rule compilation and reloads, rulings, decisions in context (approvals too), restored
# or shared state, receipts under a retry loop and a full disk, receipts as deployments keep them, Warden's own failures, where the launcher unpacks, and the command lines, which no JDK difference reaches).
set -euo pipefail
cd "$(dirname "$0")/.."

JDK25_HOME=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ ! -x "$JDK25_HOME/bin/java" ]; then
  echo "test: JDK 25 not found at $JDK25_HOME (set JDK25_HOME)" >&2
  exit 1
fi

scripts/services.sh

echo "test: build (installed, so the second pass resolves this build), unit tests, end-to-end tests with hosts on $(java -version 2>&1 | head -1)"
mvn -B -ntp install

echo "test: the JDK's targets named in full, on $("$JDK25_HOME/bin/java" -version 2>&1 | head -1) (EarlyLoadsTest)"
mvn -B -ntp -pl agent surefire:test -Dtest=EarlyLoadsTest -Djvm="$JDK25_HOME/bin/java"

echo "test: end-to-end tests with hosts on $("$JDK25_HOME/bin/java" -version 2>&1 | head -1)"
mvn -B -ntp -pl e2e surefire:test -Dwarden.host.java="$JDK25_HOME/bin/java" -DexcludedGroups=same-on-every-jdk
