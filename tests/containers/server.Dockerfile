# A Redis server image for the container tests, built here since no registry can be pulled: the
# server compiled from ../shared/servers and the libraries it links, nothing else. The official image's
# layout where the compose file relies on it: redis-server on PATH, /data owned by user 999.
FROM scratch
COPY rootfs/ /
COPY --chown=999:999 data/ /data/
ENV PATH=/usr/local/bin
WORKDIR /data
USER 999:999
CMD ["redis-server"]
