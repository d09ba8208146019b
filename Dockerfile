# syntax=docker/dockerfile:1
# One image for memoscope's ingest, trainer and metrics services (docker-compose.yml): the
# shaded launcher jar on a Java 17 runtime; the command picks the service (docker/entrypoint.sh).
#
#   docker build -t memoscope .                                   # ND4J on the CPU
#   docker build -t memoscope:cuda --build-arg MAVEN_PROFILE=cuda \
#     --build-arg RUNTIME_BASE=nvidia/cuda:11.6.2-cudnn8-runtime-ubuntu20.04 .   # ND4J on CUDA 11.6
#
# MAVEN_PROFILE selects the trainer's ND4J backend profile (trainer/pom.xml: cpu, cuda).
# RUNTIME_BASE is the runtime stage's base image; the Java runtime is copied in from
# eclipse-temurin:17-jre, so any glibc base works (the CUDA one brings the CUDA 11.6 + cuDNN libraries).

ARG RUNTIME_BASE=eclipse-temurin:17-jre

# ---- build: Maven + JDK 17 -------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
ARG MAVEN_PROFILE=cpu
WORKDIR /src
COPY pom.xml ./
COPY protocol protocol
COPY broker broker
COPY ingest ingest
COPY trainer trainer
COPY metrics metrics
COPY cli cli
RUN mvn -B -DskipTests -P"${MAVEN_PROFILE}" package \
 && cp cli/target/memoscope.jar /memoscope.jar

# ---- the Java runtime to copy into the final stage ------------------------------------------------
FROM eclipse-temurin:17-jre AS jre

# ---- runtime: JRE 17 + the jar ---------------------------------------------------------------
FROM ${RUNTIME_BASE}
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}" \
    MEMOSCOPE_JAR=/opt/memoscope/memoscope.jar \
    MEMOSCOPE_STATE_DIR=/var/lib/memoscope \
    MEMOSCOPE_DATA_DIR=/data/fashion-mnist
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
# `memoscope experiment` draws its report's charts with Java2D, which needs fontconfig and a font.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fontconfig fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 memoscope \
 && useradd --system --uid 10001 --gid memoscope --create-home --home-dir /home/memoscope memoscope \
 && mkdir -p /opt/memoscope /var/lib/memoscope /data/fashion-mnist \
 && chown memoscope:memoscope /var/lib/memoscope
COPY --from=build /memoscope.jar /opt/memoscope/memoscope.jar
COPY docker/entrypoint.sh /opt/memoscope/entrypoint.sh
USER memoscope
WORKDIR /var/lib/memoscope
# The metrics service's /metrics (Prometheus) and live page.
EXPOSE 9404
ENTRYPOINT ["/opt/memoscope/entrypoint.sh"]
CMD ["--help"]
