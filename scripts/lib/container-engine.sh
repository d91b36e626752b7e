# Sourced by scripts/image and scripts/containers: `engine` is the container engine's command line and
# `build_flags` its build options. Podman runs with runc (crun refuses hybrid cgroups); docker is used
# where its daemon answers and podman is absent; otherwise podman is installed.
if ! command -v podman >/dev/null && docker info >/dev/null 2>&1; then
    engine=(docker)
    build_flags=()
else
    scripts/install-container-deps
    engine=(podman --runtime runc)
    # Stage images removed as the build goes: a build leaves only its tagged image.
    build_flags=(--layers=false)
fi
