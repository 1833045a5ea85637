#!/usr/bin/env bash
# A local SFTP server: Debian's OpenSSH sshd on 127.0.0.1:<port>, for `make dev` and
# tests/e2e/sftp.rs (Debian's openssh-server; infra/scripts/apt-tools.sh installs it). Everything
# is in <dir>: the server's host key (host_ed25519, .pub: what an org pins), the client key allowed
# to log in as the current user (client_ed25519: what an org gives as its privateKey), the
# directory files are dropped in (outgoing/), the config, pid and log. Keys are made once per dir.
#   sftp-server.sh start <port> <dir>   starts it and waits until it listens
#   sftp-server.sh stop <dir>
set -euo pipefail
case "${1:-}" in
start)
  port=${2:?usage: sftp-server.sh start <port> <dir>}
  dir=${3:?usage: sftp-server.sh start <port> <dir>}
  mkdir -p "$dir/outgoing"
  dir=$(cd "$dir" && pwd)
  [ -f "$dir/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C sftp-host -f "$dir/host_ed25519"
  [ -f "$dir/client_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C sftp-client -f "$dir/client_ed25519"
  cp "$dir/client_ed25519.pub" "$dir/authorized_keys"
  cat > "$dir/sshd_config" <<CONFIG
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
UsePAM no
Subsystem sftp internal-sftp
LogLevel ERROR
CONFIG
  # OpenSSH's privilege separation directory (the Debian package makes it at boot only).
  [ -d /run/sshd ] || mkdir -p /run/sshd 2>/dev/null || true
  /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then exit 0; fi
    sleep 0.1
  done
  echo "sshd did not listen on 127.0.0.1:$port (see $dir/sshd.log)" >&2
  exit 1
  ;;
stop)
  dir=${2:?usage: sftp-server.sh stop <dir>}
  if [ -f "$dir/sshd.pid" ]; then kill "$(cat "$dir/sshd.pid")" 2>/dev/null || true; rm -f "$dir/sshd.pid"; fi
  ;;
*)
  echo "usage: sftp-server.sh start <port> <dir> | stop <dir>" >&2
  exit 2
  ;;
esac
