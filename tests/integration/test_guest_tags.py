"""Guest tags through real ansible-playbook against the demo simulator: the modules send tags as given and
PVE (pvesim, as pve-guest-common's get_unique_tags) applies the datacenter's tag-style; the modules compare
them without regard to case and list them as PVE keeps them."""

from tests.helpers.playbook import quartet, run_tasks


def test_vm_tags_under_the_default_tag_style(pvesim):
    run = quartet(pvesim, 'pve.ops.vm', {'vmid': 101, 'tags': ['Web', 'prod', 'web']}, name='tags')
    assert run.results['tags apply']['vm']['config']['tags'] == 'prod;web'
    listed = run_tasks(pvesim, [{'name': 'list', 'pve.ops.vm_info': {'vmid': 101}},
                                {'name': 'filter', 'pve.ops.vm_info': {'tags': ['PROD']}}])
    assert listed.results['list']['vms'][0]['tags'] == ['prod', 'web']
    assert 101 in [vm['vmid'] for vm in listed.results['filter']['vms']]


def test_container_tags_keep_their_case_when_the_cluster_says_so(pvesim):
    pvesim.proxmoxer().cluster.options.put(**{'tag-style': 'case-sensitive=1'})
    run = quartet(pvesim, 'pve.ops.container', {'vmid': 201, 'tags': ['Web', 'db']}, name='tags')
    assert sorted(run.results['tags apply']['container']['config']['tags'].split(';')) == ['Web', 'db']
    assert pvesim.proxmoxer().nodes('pve3').lxc(201).config.get()['tags'] == 'Web;db'
    listed = run_tasks(pvesim, [{'name': 'list', 'pve.ops.container_info': {'vmid': 201}}])
    assert listed.results['list']['containers'][0]['tags'] == ['Web', 'db']


def test_a_change_of_case_alone_follows_the_tag_style(pvesim):
    api = pvesim.proxmoxer()
    api.nodes('pve3').lxc(201).config.put(tags='Web;db')
    # Default tag-style: PVE ignores case, so Web and web are the same tag.
    run = run_tasks(pvesim, [{'name': 'same', 'pve.ops.container': {'vmid': 201, 'tags': ['web', 'DB']}}])
    assert not run.results['same']['changed'] and run.writes['same'] == 0
    # Case-sensitive: a change of case is a change, and PVE keeps it.
    api.cluster.options.put(**{'tag-style': 'case-sensitive=1'})
    api.nodes('pve3').lxc(201).config.put(tags='Web;db')
    run = quartet(pvesim, 'pve.ops.container', {'vmid': 201, 'tags': ['web', 'DB']}, name='case')
    assert api.nodes('pve3').lxc(201).config.get()['tags'] == 'DB;web'
    assert run.results['case apply']['diff']['before']['config']['tags'] == 'Web;db'
