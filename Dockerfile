# One image recipe for both hosts. Build from the repository root:
#   docker build --build-arg HOST=Recordings.Api -t recordings-api .
#   docker build --build-arg HOST=Recordings.Silo --build-arg PORT=8081 -t recordings-silo .
ARG HOST=Recordings.Api

# tus-js-client for the API's /recorder page, from the committed lock file (the .NET SDK image has no npm).
FROM node:20-slim AS npm
WORKDIR /repo/src/Recordings.Api
COPY src/Recordings.Api/package.json src/Recordings.Api/package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG HOST
WORKDIR /repo

# Project files first: the restore layer stays cached until a dependency changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Recordings.Abstractions/Recordings.Abstractions.csproj src/Recordings.Abstractions/
COPY src/Recordings.Supabase/Recordings.Supabase.csproj src/Recordings.Supabase/
COPY src/Recordings.Grains/Recordings.Grains.csproj src/Recordings.Grains/
COPY src/Recordings.Hosting/Recordings.Hosting.csproj src/Recordings.Hosting/
COPY src/Recordings.ServiceDefaults/Recordings.ServiceDefaults.csproj src/Recordings.ServiceDefaults/
COPY src/${HOST}/${HOST}.csproj src/${HOST}/
RUN dotnet restore src/${HOST}/${HOST}.csproj

COPY src/ src/
COPY --from=npm /repo/src/Recordings.Api/node_modules src/Recordings.Api/node_modules
RUN dotnet publish src/${HOST}/${HOST}.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
ARG HOST
ARG PORT=8000
WORKDIR /app
COPY --from=build /app ./
# The app user must own where recordings are kept; a new named volume takes this folder's owner.
RUN mkdir -p /data/recordings /data/state && chown -R "$APP_UID" /data
# Listen on every interface inside the container (the hosts' default is localhost only).
ENV RECORDINGS_DIR=/data/recordings \
    DATA_DIR=/data/state \
    HOST_ASSEMBLY=${HOST}.dll \
    ASPNETCORE_URLS=http://+:${PORT}
EXPOSE ${PORT}
USER $APP_UID
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"$HOST_ASSEMBLY\""]
