# Build: a static binary (no cgo), then a distroless image running as non-root.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/participatiebot ./cmd/participatiebot

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/participatiebot /participatiebot
COPY examples /surveys
ENV SURVEYS_DIR=/surveys DATA_DIR=/data
USER nonroot:nonroot
VOLUME /data
ENTRYPOINT ["/participatiebot"]
CMD ["serve"]
