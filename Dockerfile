# soar, built from source: `docker build -t soar .` then `docker run soar run`.
# deploy/splunk/docker-compose.yml builds and runs it beside Splunk.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so that code changes keep the restore layer. Restored as for
# publishing: the publish precompiles for this platform (Soar.Cli.csproj), which needs its packs.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Soar/Soar.csproj src/Soar/
COPY src/Soar.Cli/Soar.Cli.csproj src/Soar.Cli/
RUN dotnet restore src/Soar.Cli/Soar.Cli.csproj -p:_IsPublishing=true
COPY src/ src/
# The default rules and their samples are embedded by src/Soar/Soar.csproj from ../../rules.
COPY rules/ rules/
RUN dotnet publish src/Soar.Cli/Soar.Cli.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /data && chown "$APP_UID" /data
# In a container, listen on every interface: the network namespace and published ports are the boundary.
ENV SOAR_HTTP=0.0.0.0:5000 \
    SOAR_SYSLOG_TCP=0.0.0.0:1514 \
    SOAR_SYSLOG_UDP=0.0.0.0:1514 \
    SOAR_DATA_DIR=/data \
    ASPNETCORE_HTTP_PORTS=
VOLUME ["/data"]
EXPOSE 5000 1514 1514/udp
USER $APP_UID
ENTRYPOINT ["./soar"]
CMD ["run"]
