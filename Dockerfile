# Multi-stage build of the Advisory Portal. The same `dotnet publish` runs in ./run.sh, so the tests exercise what this
# image ships (migrations/ and wwwroot/ travel with the binaries); the image adds ReadyToRun, which compiles the same
# code ahead of time.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props Portal.sln ./
COPY src/Portal.Web/Portal.Web.csproj src/Portal.Web/
RUN dotnet restore src/Portal.Web/Portal.Web.csproj -r linux-x64
COPY src/ src/
COPY migrations/ migrations/
COPY wwwroot/ wwwroot/
# ReadyToRun: the image starts with its code compiled ahead, so a new or restarted instance is ready sooner and serves
# at full speed within seconds of load (decision 0057). ./run.sh and the tests publish without it (it takes minutes).
RUN dotnet publish src/Portal.Web/Portal.Web.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /app ./
# The image's built-in unprivileged user.
USER app
ENV ASPNETCORE_URLS=http://+:8080 \
    Portal__StoragePath=/app/storage
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://localhost:8080/health/live || exit 1
# Outside Development the key ring is encrypted with a certificate and the app will not start without it:
# mount a PKCS#12 file (RSA key) and set Portal__DataProtection__CertificatePath / __CertificatePassword,
# e.g. -v /secure/keyring.pfx:/run/secrets/keyring.pfx:ro -e Portal__DataProtection__CertificatePath=/run/secrets/keyring.pfx
# Portal__Telemetry__MetricsPort=9464 serves Prometheus /metrics on that port only (publish it to the scraper, not the world).
# Run `docker run IMAGE migrate` (and `seed` for the demo) before the first start: the web app never migrates itself.
ENTRYPOINT ["dotnet", "Portal.Web.dll"]
