# vector-lstm scoring server: `docker build -t vector-lstm .` then
#   docker run -p 8080:8080 -v "$PWD/models:/models:ro" vector-lstm --model /models/imdb.vlstm
# SIGTERM (docker stop -t 45: more than the 30 s grace) stops it gracefully: requests in flight
# are answered, exit code 0.
# docs/serving.md says how it was checked (this workplace has no Docker engine to build it).

FROM eclipse-temurin:25-jdk AS build
RUN apt-get update && apt-get install -y --no-install-recommends maven && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml lstm ./
COPY src src
COPY tools/serve/jlink_runtime.sh tools/serve/
RUN mvn -q -B -DskipTests package \
 && bash tools/serve/jlink_runtime.sh /opt/runtime

FROM debian:bookworm-slim
# File names and texts in UTF-8: the image's default C locale would decode them as ASCII.
ENV LANG=C.UTF-8
RUN useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin vlstm
COPY --from=build /opt/runtime /opt/runtime
COPY --from=build /src/target/vector-lstm.jar /opt/vector-lstm/
COPY --from=build /src/target/lib /opt/vector-lstm/lib
USER vlstm
EXPOSE 8080
# bash's /dev/tcp instead of curl: nothing to install in the image for the check
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -c 12 <&3 | grep -q ' 200'"]
ENTRYPOINT ["/opt/runtime/bin/java", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", \
            "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/vector-lstm/vector-lstm.jar", "serve", "--host", "0.0.0.0", "--port", "8080"]
CMD ["--model", "/models/model.vlstm"]
