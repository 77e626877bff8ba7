"""Starts an extracted image's entrypoint as a container runtime would, without one: chroot into the root file
system, the image's working directory, user and environment, then exec the entrypoint with the given arguments.

    python3 image_entrypoint.py ROOTFS CONFIG_JSON [-e KEY=VALUE ...] -- [ARG ...]

-e adds to (or overrides) the image's environment, as `docker run -e` does. Run as root inside
`unshare --mount --pid --fork`, with /proc and /dev mounted under ROOTFS (test_image_tar.py).
"""

import json
import os
import sys


def main(rootfs: str, config_file: str, *rest: str) -> None:
    options, arguments = split_at_double_dash(list(rest))
    with open(config_file) as f:
        config = json.load(f)["config"]
    env = dict(entry.split("=", 1) for entry in config.get("Env", []))
    env.update(value.split("=", 1) for flag, value in zip(options[::2], options[1::2]) if flag == "-e")
    uid, _, gid = config.get("User", "0").partition(":")
    os.chroot(rootfs)
    os.chdir(config.get("WorkingDir") or "/")
    os.setgroups([])
    os.setgid(int(gid or uid))
    os.setuid(int(uid))
    command = config["Entrypoint"] + (arguments or config.get("Cmd") or [])
    os.execvpe(command[0], command, env)


def split_at_double_dash(words):
    if "--" not in words:
        return [], words
    at = words.index("--")
    return words[:at], words[at + 1:]


if __name__ == "__main__":
    main(*sys.argv[1:])
