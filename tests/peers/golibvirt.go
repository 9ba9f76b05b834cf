// golibvirt.go SOCKET: a small go-libvirt program (the library under
// terraform's libvirt provider) that asks a daemon's test:///default for
// statistics, vCPUs, the scheduler and snapshots, and prints one line per
// call. Numbers the test driver derives from the clock print as "<n>".
// golibvirt.sh compares the output against libvirtd's and the expected
// values.
package main

import (
	"fmt"
	"os"
	"sort"
	"time"

	libvirt "github.com/digitalocean/go-libvirt"
	"github.com/digitalocean/go-libvirt/socket/dialers"
)

func pos(v int64) string {
	if v > 0 {
		return "<n>"
	}
	return fmt.Sprint(v)
}

func param(p libvirt.TypedParam) string {
	return fmt.Sprintf("%s=%v", p.Field, p.Value.I)
}

func main() {
	l := libvirt.NewWithDialer(dialers.NewLocal(dialers.WithSocket(os.Args[1]),
		dialers.WithLocalTimeout(5*time.Second)))
	if err := l.ConnectToURI(libvirt.TestDefault); err != nil {
		fmt.Println("connect:", err)
		os.Exit(1)
	}
	defer l.Disconnect()
	show := func(name string, err error, format string, args ...interface{}) {
		if err != nil {
			fmt.Printf("%s: error %v\n", name, err)
			return
		}
		fmt.Printf("%s: "+format+"\n", append([]interface{}{name}, args...)...)
	}

	dom, err := l.DomainLookupByName("test")
	show("DomainLookupByName", err, "%s id=%d", dom.Name, dom.ID)

	stats, err := l.DomainMemoryStats(dom, 13, 0)
	show("DomainMemoryStats", err, "%v", stats)

	info, cpumaps, err := l.DomainGetVcpus(dom, 4, 1)
	vcpus := []string{}
	for _, v := range info {
		vcpus = append(vcpus, fmt.Sprintf("#%d state=%d cpu=%d time=%s", v.Number, v.State,
			v.CPU, pos(int64(v.CPUTime))))
	}
	show("DomainGetVcpus", err, "%v maps=%v", vcpus, cpumaps)

	n, err := l.DomainGetVcpusFlags(dom, 0)
	show("DomainGetVcpusFlags", err, "%d", n)

	stype, np, err := l.DomainGetSchedulerType(dom)
	show("DomainGetSchedulerType", err, "%s nparams=%d", stype, np)

	params, err := l.DomainGetSchedulerParameters(dom, np)
	ps := []string{}
	for _, p := range params {
		ps = append(ps, param(p))
	}
	show("DomainGetSchedulerParameters", err, "%v", ps)

	rx, rxp, rxe, rxd, tx, txp, txe, txd, err := l.DomainInterfaceStats(dom, "testnet0")
	show("DomainInterfaceStats", err, "%s %s %s %s %s %s %s %s", pos(rx), pos(rxp), pos(rxe),
		pos(rxd), pos(tx), pos(txp), pos(txe), pos(txd))

	rr, rb, wr, wb, errs, err := l.DomainBlockStats(dom, "vda")
	show("DomainBlockStats", err, "%s %s %s %s %s", pos(rr), pos(rb), pos(wr), pos(wb), pos(errs))

	_, _, _, _, _, err = l.DomainBlockStats(dom, "sdz")
	show("DomainBlockStats(sdz)", err, "")

	recs, err := l.ConnectGetAllDomainStats(nil, 0, 0)
	rs := []string{}
	for _, r := range recs {
		fields := []string{}
		for _, p := range r.Params {
			fields = append(fields, param(p))
		}
		sort.Strings(fields)
		rs = append(rs, fmt.Sprintf("%s %v", r.Dom.Name, fields))
	}
	show("ConnectGetAllDomainStats", err, "%v", rs)

	err = l.DomainSetMemoryFlags(dom, 1048576, 0)
	show("DomainSetMemoryFlags", err, "done")
	state, maxmem, mem, ncpu, _, err := l.DomainGetInfo(dom)
	show("DomainGetInfo", err, "state=%d max=%d mem=%d vcpus=%d", state, maxmem, mem, ncpu)

	snap, err := l.DomainSnapshotCreateXML(dom, "<domainsnapshot><name>s1</name></domainsnapshot>", 0)
	show("DomainSnapshotCreateXML", err, "%s", snap.Name)
	snaps, count, err := l.DomainListAllSnapshots(dom, 1, 0)
	names := []string{}
	for _, s := range snaps {
		names = append(names, s.Name)
	}
	show("DomainListAllSnapshots", err, "%v count=%d", names, count)
	cur, err := l.DomainSnapshotCurrent(dom, 0)
	show("DomainSnapshotCurrent", err, "%s", cur.Name)
	err = l.DomainSnapshotDelete(snap, 0)
	show("DomainSnapshotDelete", err, "done")
	num, err := l.DomainSnapshotNum(dom, 0)
	show("DomainSnapshotNum", err, "%d", num)

	// the objects beside domains (what go-libvirt users hit first)
	nets, nnets, err := l.ConnectListAllNetworks(1, 0)
	netNames := []string{}
	for _, n := range nets {
		netNames = append(netNames, n.Name)
	}
	show("ConnectListAllNetworks", err, "%v ret=%d", netNames, nnets)
	net, err := l.NetworkLookupByName("default")
	show("NetworkLookupByName", err, "%s", net.Name)
	bridge, err := l.NetworkGetBridgeName(net)
	show("NetworkGetBridgeName", err, "%s", bridge)
	pools, npools, err := l.ConnectListAllStoragePools(1, 0)
	poolNames := []string{}
	for _, p := range pools {
		poolNames = append(poolNames, p.Name)
	}
	show("ConnectListAllStoragePools", err, "%v ret=%d", poolNames, npools)
	pool, err := l.StoragePoolLookupByName("default-pool")
	show("StoragePoolLookupByName", err, "%s", pool.Name)
	pstate, pcap, palloc, pavail, err := l.StoragePoolGetInfo(pool)
	show("StoragePoolGetInfo", err, "state=%d capacity=%d allocation=%d available=%d", pstate,
		pcap, palloc, pavail)
	vol, err := l.StorageVolCreateXML(pool,
		"<volume><name>gv1</name><capacity>1048576</capacity></volume>", 0)
	show("StorageVolCreateXML", err, "%s key=%s", vol.Name, vol.Key)
	vols, nvols, err := l.StoragePoolListAllVolumes(pool, 1, 0)
	volNames := []string{}
	for _, v := range vols {
		volNames = append(volNames, v.Name)
	}
	show("StoragePoolListAllVolumes", err, "%v ret=%d", volNames, nvols)
	iface, err := l.InterfaceLookupByName("eth1")
	show("InterfaceLookupByName", err, "%s mac=%s", iface.Name, iface.Mac)
	dev, err := l.NodeDeviceLookupByName("scsi_host1")
	show("NodeDeviceLookupByName", err, "%s", dev.Name)
}
