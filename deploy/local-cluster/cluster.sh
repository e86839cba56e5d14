#!/usr/bin/env bash
# A standalone Flink 1.20.3 session cluster and a Fluss 0.9.1 cluster as real processes on
# 127.0.0.1, assembled from Maven Central artifacts only (flink-pom.xml, fluss-pom.xml; Flink's
# binary tarball is not on Maven Central, so the JobManager, TaskManager and CLI are started from
# their entry-point classes — the same ones Flink's bin/ scripts start).
#
#   deploy/local-cluster/cluster.sh assemble|start|stop|status|flink [CLI args...]
#
# Everything (jars, config, data, logs, pids) lives under $GRIDHOUSE_CLUSTER_DIR (default
# deploy/local-cluster/run). Ports: $GRIDHOUSE_ZK_PORT (52181), $GRIDHOUSE_FLUSS_PORT (59123, the
# coordinator), $GRIDHOUSE_FLINK_REST_PORT (58081, web UI and REST), $GRIDHOUSE_FLINK_RPC_PORT
# (56123); every process listens on 127.0.0.1 only (ZooKeeper too: conf/zookeeper/zoo.cfg). `flink`
# runs the real Flink CLI (org.apache.flink.client.cli.CliFrontend: run, stop, cancel, list,
# savepoint ...) against this cluster.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/deploy/local-cluster"
DIR="${GRIDHOUSE_CLUSTER_DIR:-$HERE/run}"
ZK_PORT="${GRIDHOUSE_ZK_PORT:-52181}"
FLUSS_PORT="${GRIDHOUSE_FLUSS_PORT:-59123}"
REST_PORT="${GRIDHOUSE_FLINK_REST_PORT:-58081}"
RPC_PORT="${GRIDHOUSE_FLINK_RPC_PORT:-56123}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

OPENS=(
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true
)

die() { echo "cluster: $*" >&2; exit 1; }

assemble() {
  if [ -f "$DIR/flink/lib/.complete" ] && [ -f "$DIR/fluss/lib/.complete" ]; then
    return 0
  fi
  echo "cluster: resolving Flink and Fluss jars from Maven Central ..." >&2
  for what in flink fluss; do
    rm -rf "$DIR/$what/lib"
    "$ROOT/mvnw" -q -B -f "$HERE/$what-pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$DIR/$what/lib" -DincludeScope=runtime >&2
    touch "$DIR/$what/lib/.complete"
  done
}

write_config() {
  mkdir -p "$DIR/conf/flink" "$DIR/conf/fluss-coordinator" "$DIR/conf/fluss-tablet" "$DIR/log" \
    "$DIR/conf/zookeeper" "$DIR/pid" "$DIR/data/zk" "$DIR/data/fluss" \
    "$DIR/data/flink/checkpoints" "$DIR/data/flink/savepoints"
  # a config file, not ZooKeeperServerMain's PORT DATADIR arguments: those bind the client port
  # on 0.0.0.0. No admin server (Jetty, 0.0.0.0:8080; the shaded ZooKeeper has no Jetty anyway).
  cat > "$DIR/conf/zookeeper/zoo.cfg" <<EOF
tickTime=3000
dataDir=$DIR/data/zk
clientPort=$ZK_PORT
clientPortAddress=127.0.0.1
admin.enableServer=false
EOF
  cat > "$DIR/conf/log4j.properties" <<EOF
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FileAppender
appender.file.name = FileAppender
appender.file.type = FILE
appender.file.fileName = \${sys:log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-40c{1.} - %m%n
EOF
  cp "$DIR/conf/log4j.properties" "$DIR/conf/flink/log4j.properties"
  cp "$DIR/conf/log4j.properties" "$DIR/conf/flink/log4j-cli.properties"
  cat > "$DIR/conf/flink/config.yaml" <<EOF
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $RPC_PORT
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: 1024m
taskmanager.bind-host: 127.0.0.1
taskmanager.host: 127.0.0.1
taskmanager.rpc.port: 0
taskmanager.data.port: 0
taskmanager.numberOfTaskSlots: 4
taskmanager.memory.process.size: 2048m
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $REST_PORT
blob.server.port: 0
execution.checkpointing.dir: file://$DIR/data/flink/checkpoints
execution.checkpointing.savepoint-dir: file://$DIR/data/flink/savepoints
web.tmpdir: $DIR/data/flink/web
io.tmp.dirs: $DIR/data/flink/tmp
EOF
  for role in coordinator tablet; do
    {
      echo "zookeeper.address: 127.0.0.1:$ZK_PORT"
      echo "remote.data.dir: $DIR/data/fluss/remote"
      echo "default.replication.factor: 1"
      echo "default.bucket.number: 1"
      echo "datalake.format: paimon"
      echo "datalake.paimon.metastore: filesystem"
      echo "datalake.paimon.warehouse: $DIR/data/lake"
      if [ "$role" = coordinator ]; then
        echo "bind.listeners: FLUSS://127.0.0.1:$FLUSS_PORT"
      else
        echo "bind.listeners: FLUSS://127.0.0.1:0"
        echo "tablet-server.id: 0"
        echo "data.dir: $DIR/data/fluss/tablet-0"
        echo "tablet-server.controlled-shutdown.max-retries: 0"
      fi
    } > "$DIR/conf/fluss-$role/server.yaml"
  done
}

# The jars of LIBDIR as a classpath in a fixed order, the way Flink's own scripts build it
# (sorted, flink-dist last), never "LIBDIR/*" (the JVM expands that in directory order, and jars
# here do define classes twice: fluss-server bundles lz4 and zstd, so does paimon-bundle).
classpath() {
  { find "$1" -maxdepth 1 -name '*.jar' ! -name 'flink-dist*' | LC_ALL=C sort
    find "$1" -maxdepth 1 -name 'flink-dist*.jar'; } | paste -sd: -
}

# start NAME LIBDIR MAINCLASS ARGS... : a JVM in the background, pid in $DIR/pid/NAME
launch() {
  local name="$1" lib="$2" main="$3"; shift 3
  if [ -f "$DIR/pid/$name" ] && kill -0 "$(cat "$DIR/pid/$name")" 2>/dev/null; then
    echo "cluster: $name already running" >&2
    return 0
  fi
  # shellcheck disable=SC2086
  nohup "$JAVA" "${OPENS[@]}" ${JVM_ARGS:--Xmx512m} -Dlog.file="$DIR/log/$name.log" \
    -Dlog4j.configurationFile="file:$DIR/conf/log4j.properties" \
    -cp "$(classpath "$lib")" "$main" "$@" > "$DIR/log/$name.out" 2>&1 &
  echo $! > "$DIR/pid/$name"
}

wait_port() {
  local port="$1" what="$2"
  for _ in $(seq 1 240); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  die "$what did not open 127.0.0.1:$port (logs in $DIR/log)"
}

wait_taskmanager() {
  for _ in $(seq 1 240); do
    if curl -sf "http://127.0.0.1:$REST_PORT/taskmanagers" | grep -q '"id"'; then return 0; fi
    sleep 0.5
  done
  die "no TaskManager registered (logs in $DIR/log)"
}

# The JVM options and dynamic settings of a Flink process, computed by Flink itself as its bin/
# scripts do (BashJavaUtils GET_TM_RESOURCE_PARAMS / GET_JM_RESOURCE_PARAMS).
flink_params() {
  "$JAVA" -cp "$(classpath "$DIR/flink/lib")" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" \
    --configDir "$DIR/conf/flink" 2>/dev/null | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' \
    | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

start() {
  assemble
  write_config
  local jm tm
  jm="$(flink_params GET_JM_RESOURCE_PARAMS)"
  tm="$(flink_params GET_TM_RESOURCE_PARAMS)"
  [ -n "$tm" ] || die "could not compute the TaskManager memory settings"
  JVM_ARGS=-Xmx256m launch zookeeper "$DIR/fluss/lib" \
    org.apache.fluss.shaded.zookeeper3.org.apache.zookeeper.server.ZooKeeperServerMain \
    "$DIR/conf/zookeeper/zoo.cfg"
  wait_port "$ZK_PORT" ZooKeeper
  launch fluss-coordinator "$DIR/fluss/lib" org.apache.fluss.server.coordinator.CoordinatorServer \
    --configDir "$DIR/conf/fluss-coordinator"
  wait_port "$FLUSS_PORT" "Fluss coordinator"
  JVM_ARGS=-Xmx1g launch fluss-tablet "$DIR/fluss/lib" org.apache.fluss.server.tablet.TabletServer \
    --configDir "$DIR/conf/fluss-tablet"
  # shellcheck disable=SC2046
  JVM_ARGS="$(echo "$jm" | sed -n 1p)" launch flink-jobmanager "$DIR/flink/lib" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    --configDir "$DIR/conf/flink" $(echo "$jm" | sed -n 2p)
  wait_port "$REST_PORT" "Flink JobManager"
  # shellcheck disable=SC2046
  JVM_ARGS="$(echo "$tm" | sed -n 1p)" launch flink-taskmanager "$DIR/flink/lib" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$DIR/conf/flink" \
    $(echo "$tm" | sed -n 2p)
  wait_taskmanager
  echo "Fluss at 127.0.0.1:$FLUSS_PORT; Flink web UI at http://127.0.0.1:$REST_PORT/ (data and logs in $DIR)"
}

stop() {
  local name pid
  for name in flink-taskmanager flink-jobmanager fluss-tablet fluss-coordinator zookeeper; do
    [ -f "$DIR/pid/$name" ] || continue
    pid="$(cat "$DIR/pid/$name")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$DIR/pid/$name"
  done
  echo "cluster: stopped"
}

status() {
  local name running=0
  for name in zookeeper fluss-coordinator fluss-tablet flink-jobmanager flink-taskmanager; do
    if [ -f "$DIR/pid/$name" ] && kill -0 "$(cat "$DIR/pid/$name")" 2>/dev/null; then
      echo "$name: running (pid $(cat "$DIR/pid/$name"))"; running=1
    else
      echo "$name: stopped"
    fi
  done
  [ "$running" = 1 ]
}

flink_cli() {
  [ -d "$DIR/conf/flink" ] || die "not started: run '$0 start' first"
  FLINK_CONF_DIR="$DIR/conf/flink" exec "$JAVA" "${OPENS[@]}" -Xmx256m \
    -Dlog.file="$DIR/log/flink-cli.log" -Dlog4j.configurationFile="file:$DIR/conf/log4j.properties" \
    -cp "$(classpath "$DIR/flink/lib")" org.apache.flink.client.cli.CliFrontend "$@"
}

case "${1:-}" in
  assemble) assemble ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  flink) shift; flink_cli "$@" ;;
  *) echo "usage: $0 assemble|start|stop|status|flink [args]" >&2; exit 2 ;;
esac
