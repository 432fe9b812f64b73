# syntax=docker/dockerfile:1
# Vigil: the monitor (and, with another command, the rollback controller) as a container image.
#
#   docker build -t vigil:0.1.0 .
#   docker run --rm --read-only --tmpfs /tmp -v vigil-state:/var/lib/vigil \
#     -v "$PWD/config:/etc/vigil:ro" -e VIGIL_ADMIN_TOKEN=... -p 9470:9470 vigil:0.1.0
#
# Base images are pinned by exact version tag. Pin them by digest too before you ship
# (docker buildx imagetools inspect <image:tag> prints it; renovate/dependabot keep it current):
#   FROM maven:3.9.9-eclipse-temurin-17@sha256:<digest>
#   FROM eclipse-temurin:17.0.13_11-jre-jammy@sha256:<digest>

# --- build: the README's Maven build --------------------------------------------------------
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so that a source change does not download them again.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
# The configuration's JSON Schema goes into the jar (vigil config check --schema-only).
COPY config/vigil.schema.json ./config/
RUN mvn -B -q package -DskipTests

# --- runtime: a Java 17 JRE, the jar and its lib/ directory, nothing else -----------------
FROM eclipse-temurin:17.0.13_11-jre-jammy
LABEL org.opencontainers.image.title="vigil" \
      org.opencontainers.image.description="Continuous compliance and hash-integrity monitor: verifies signed constitutional attestations." \
      org.opencontainers.image.licenses="Apache-2.0"

# A fixed, non-root user (numeric, so Kubernetes' runAsNonRoot can verify it).
RUN groupadd --system --gid 10001 vigil \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/vigil --no-create-home --shell /usr/sbin/nologin vigil \
 && mkdir -p /var/lib/vigil /etc/vigil \
 && chown 10001:10001 /var/lib/vigil

# The jar finds its dependencies through its manifest's Class-Path: lib/... (what the monitor and the
# controller need). target/lib-demo/ (the embedded Kafka broker and Scala, for demo and bench) is left out.
COPY --from=build /src/target/lib/ /opt/vigil/lib/
COPY --from=build /src/target/vigil.jar /opt/vigil/vigil.jar

# Read-only root filesystem: the only writable places are the state volume (outbox, state) and
# /tmp (mount a tmpfs or emptyDir); no JVM perf-data file is written.
VOLUME ["/var/lib/vigil"]
WORKDIR /var/lib/vigil
USER 10001:10001

# /metrics, /health/live, /health/ready, the API and the status page.
EXPOSE 9470
ENTRYPOINT ["java", "-XX:-UsePerfData", "-XX:MaxRAMPercentage=75", "-Djava.io.tmpdir=/tmp", "-jar", "/opt/vigil/vigil.jar"]
CMD ["monitor", "--config", "/etc/vigil/vigil.yaml"]
