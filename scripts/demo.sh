#!/usr/bin/env bash
# The README's first command: builds Warden and the demo, runs the demo assistant (scenario S2,
# offline) with only -javaagent added, then checks its receipts with the auditors' verifier.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "demo: building (first run downloads dependencies)"
mvn -q -B -ntp -pl agent,verifier-cli,demo -am install -Dmaven.test.skip=true

work=demo/target/run
rm -rf "$work" && mkdir -p "$work"

echo "demo: running the assistant with -javaagent:agent/target/warden-agent.jar"
java -javaagent:agent/target/warden-agent.jar=rules=demo/rules,receipts="$work/receipts",actor=crm-service,surfaces=tool,model,jdbc,log=warn \
     -cp "demo/target/classes:$(cat demo/target/classpath.txt)" dev.warden.demo.DemoApp

echo
echo "demo: every decision above is a receipt; the verifier checks them without trusting the agent:"
java -jar verifier-cli/target/warden-verify.jar verify "$work/receipts" --public-key "$work/receipts/public-key.pem"
