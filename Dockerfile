# syntax=docker/dockerfile:1
# Recur for GPU hosts. Three stages: build (CUDA 12.6 devel with nvcc and JDK 25: kernels to PTX,
# the CPU simulator, the jar), runtime-java (a jlink-ed Java with just the modules recur uses),
# and the image (CUDA 12.6 runtime: cuBLAS and the driver libraries the NVIDIA container toolkit
# mounts; recur runs as an unprivileged user). PTX built with CUDA 12.6 loads on drivers R560+.
#
#   docker build -t recur .                                  (--build-arg RUN_TESTS=true runs .ci/run first)
#   docker run --rm --gpus all -v "$PWD/outputs:/outputs" recur train --backend cuda --out /outputs/run1
#   docker run --rm -v "$PWD/outputs:/outputs" recur train --backend cpu --out /outputs/run1     (no GPU)
#   docker run --rm --gpus all recur info

ARG CUDA_VERSION=12.6.3
ARG UBUNTU=ubuntu24.04
ARG JDK_URL=https://api.adoptium.net/v3/binary/latest/25/ga/linux/x64/jdk/hotspot/normal/eclipse

FROM nvidia/cuda:${CUDA_VERSION}-devel-${UBUNTU} AS build
ARG JDK_URL
ARG RUN_TESTS=false
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl g++ make python3 \
 && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /opt/jdk \
 && curl -fsSL "$JDK_URL" | tar -xz -C /opt/jdk --strip-components=1
ENV JAVA_HOME=/opt/jdk
ENV PATH=/opt/jdk/bin:$PATH
WORKDIR /src
COPY . .
# The same build CI does: .ci/run (the README's test command) when asked, then the package
# (build-ptx.sh compiles kernels/*.cu with this image's nvcc; native/ builds the CPU simulator).
RUN if [ "$RUN_TESTS" = "true" ]; then .ci/run; fi \
 && ./mvnw -B -q package -DskipTests

FROM build AS runtime-java
# The modules recur's jars use (jdeps), plus jdk.unsupported for the native-library loaders.
RUN deps=$(jdeps -q --multi-release 25 --ignore-missing-deps --print-module-deps \
      --class-path "target/lib/*" target/recur-*.jar) \
 && jlink --add-modules "java.base,jdk.unsupported,${deps}" --strip-debug --no-man-pages \
      --no-header-files --compress=zip-6 --output /opt/java

FROM nvidia/cuda:${CUDA_VERSION}-runtime-${UBUNTU}
RUN groupadd --system recur && useradd --system --gid recur --create-home --home-dir /home/recur recur \
 && mkdir -p /data /outputs /checkpoints && chown recur:recur /data /outputs /checkpoints
COPY --from=runtime-java /opt/java /opt/java
COPY --from=build /src/target/recur /src/target/recur-*.jar /opt/recur/
COPY --from=build /src/target/lib /opt/recur/lib
COPY --from=build /src/target/native/libcudasim.so /src/target/native/libkernels.so /opt/recur/native/
ENV JAVA_HOME=/opt/java
ENV PATH=/opt/recur:$PATH
VOLUME ["/data", "/outputs", "/checkpoints"]
USER recur
WORKDIR /outputs
ENTRYPOINT ["recur"]
CMD ["--help"]
