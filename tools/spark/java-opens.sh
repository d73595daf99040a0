# Sourced by ./keydet and tools/spark/standalone-check.sh: the JVM flags Spark needs on Java 17, as Spark's own
# launcher adds them (detector-spark's pom passes the same to its tests, property spark.jvm.opens). Sets the
# array spark_java_opens.
spark_java_opens=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
    java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  spark_java_opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
spark_java_opens+=(-Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true)
