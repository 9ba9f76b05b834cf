# tests/usb-fake.sh: sourced by tests that give a daemon fake USB devices
# (root only). The daemons find USB devices where libvirt does, in
# /sys/bus/usb/devices and /dev/bus/usb: the test runs a daemon in a mount
# namespace of its own where those paths show a tree this file builds, so
# the daemon's real code reads them (no hook in the daemon, no preload).
#
# usb_fake_tree DIR builds under DIR:
#   sysbus/usb/devices/NAME/{idVendor,idProduct,devnum}, as sysfs has them:
#     usb1     1d6b:0002 bus 1 device 1   (a root hub)
#     1-1      1234:5678 bus 1 device 2
#     1-1:1.0  an interface (no files: skipped, as its name has a ':')
#     usb2     1d6b:0003 bus 2 device 1
#     2-1      1234:5678 bus 2 device 3   (the same ids as 1-1)
#     2-2      abcd:0001 bus 2 device 4
#     2-3      0bad:0005 bus 2 device 5   (no node in /dev/bus/usb)
#   sysbus/X for every other /sys/bus/X of the host (bound back in there);
#   devbus/usb/BBB/DDD character nodes 189:((B-1)*128+D-1), as the kernel
#     numbers them, for each device but 2-3.
# usb_fake_mounts DIR prints the commands that, run in a private mount
# namespace (unshare -m --propagation private), put the tree at /sys/bus
# and /dev/bus there. /dev/bus must exist as a mount point: the function
# makes it on the host when missing (an empty directory, left there: a
# concurrent run may have its namespace's mount on it).
# Returns 1 with the reason on stdout when the tree cannot be made.

usb_fake_tree() {
    local d=$1 e name ids bus dev
    mkdir -p "$d/realbus" "$d/sysbus/usb/devices" "$d/devbus/usb" || return 1
    for e in /sys/bus/*; do
        [ "${e##*/}" = usb ] || mkdir -p "$d/sysbus/${e##*/}"
    done
    for e in "usb1 1d6b 0002 1 1" "1-1 1234 5678 1 2" "usb2 1d6b 0003 2 1" \
             "2-1 1234 5678 2 3" "2-2 abcd 0001 2 4" "2-3 0bad 0005 2 5"; do
        set -- $e
        name=$1 bus=$4 dev=$5
        mkdir -p "$d/sysbus/usb/devices/$name"
        echo "$2" > "$d/sysbus/usb/devices/$name/idVendor"
        echo "$3" > "$d/sysbus/usb/devices/$name/idProduct"
        echo "$dev" > "$d/sysbus/usb/devices/$name/devnum"
        echo "$bus" > "$d/sysbus/usb/devices/$name/busnum"
        [ "$name" = 2-3 ] && continue
        mkdir -p "$d/devbus/usb/$(printf %03d "$bus")"
        mknod "$d/devbus/usb/$(printf '%03d/%03d' "$bus" "$dev")" c 189 \
            $(( (bus - 1) * 128 + dev - 1 )) 2>&1 || { echo "mknod refused"; return 1; }
    done
    mkdir -p "$d/sysbus/usb/devices/1-1:1.0"
    mkdir -p /dev/bus 2>&1 || { echo "cannot make /dev/bus"; return 1; }
}

usb_fake_mounts() {
    local d=$1
    cat <<EOC
mount --bind /sys/bus "$d/realbus"
mount --bind "$d/sysbus" /sys/bus
for e in "$d"/realbus/*; do
    [ "\${e##*/}" = usb ] || mount --bind "\$e" "/sys/bus/\${e##*/}"
done
mount --bind "$d/devbus" /dev/bus
EOC
}
