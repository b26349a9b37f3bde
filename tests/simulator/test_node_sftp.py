# SPDX-License-Identifier: AGPL-3.0-or-later
"""pvesim's SFTP on the nodes' SSH endpoints (node_sftp.py): the dump directories, volumes that follow their files,
sha256sum, what it refuses, rollbacks."""

import asyncio
import hashlib

import asyncssh

from pvesim.archives import tar_bytes, vma_bytes

NAME = 'vzdump-qemu-4301-2026_11_23-06_00_00.vma'
DUMP = '/mnt/pve/backup-nfs/dump/'


def _session(sim, node, work):
    endpoint = sim.call(lambda: dict(sim.pve.ssh_endpoints[node]))
    key = asyncssh.import_public_key(endpoint['public_key'])

    async def main():
        async with asyncssh.connect(endpoint['host'], endpoint['port'], username='root', password=sim.root_password,
                                    known_hosts=([key], [], []), client_keys=None, agent_path=None) as conn:
            return await work(conn)
    return asyncio.run(main())


def _write(sim, node, path, data):
    async def work(conn):
        async with conn.start_sftp_client() as sftp:
            async with sftp.open(path, 'wb') as handle:
                await handle.write(data)
    return _session(sim, node, work)


def _backups(sim, node='pve1', storage='backup-nfs'):
    return dict((b['volid'], b) for b in sim.proxmoxer().nodes(node).storage(storage).content.get(content='backup'))


def test_a_written_archive_is_a_backup_volume_with_its_checksum_and_config(pvesim):
    data = vma_bytes('memory: 1024\nname: sftp-vm\n')
    _write(pvesim, 'pve1', DUMP + NAME, data)
    entry = _backups(pvesim, 'pve3')['backup-nfs:backup/' + NAME]
    assert entry['size'] == len(data) and entry['subtype'] == 'qemu' and entry['vmid'] == 4301
    config = pvesim.proxmoxer().nodes('pve1').vzdump.extractconfig.get(volume='backup-nfs:backup/' + NAME)
    assert 'name: sftp-vm' in config
    done = _session(pvesim, 'pve2', lambda conn: conn.run('sha256sum -- ' + DUMP + NAME, check=False))
    assert done.exit_status == 0 and done.stdout.split()[0] == hashlib.sha256(data).hexdigest()


def test_other_paths_do_not_exist_and_links_are_refused(pvesim):
    async def work(conn):
        async with conn.start_sftp_client() as sftp:
            out = []
            for path in ('/etc/passwd', '/mnt/pve/backup-nfs/images/x', DUMP + '../../../etc/shadow'):
                try:
                    await sftp.stat(path)
                    out.append(path)
                except asyncssh.SFTPNoSuchFile:
                    pass
            try:
                await sftp.symlink('/etc/shadow', DUMP + 'link')
                out.append('symlink')
            except asyncssh.SFTPPermissionDenied:
                pass
            return out
    assert _session(pvesim, 'pve1', work) == []


def test_renaming_and_removing_follow_and_a_vzdump_backup_has_no_bytes(pvesim):
    ct = 'vzdump-lxc-4302-2026_11_23-06_00_00.tar'
    _write(pvesim, 'pve1', DUMP + '.partial', tar_bytes('hostname: c\n'))
    assert 'backup-nfs:backup/' + ct not in _backups(pvesim)

    async def move(conn):
        async with conn.start_sftp_client() as sftp:
            await sftp.posix_rename(DUMP + '.partial', DUMP + ct)
    _session(pvesim, 'pve1', move)
    assert 'backup-nfs:backup/' + ct in _backups(pvesim)

    async def remove(conn):
        async with conn.start_sftp_client() as sftp:
            await sftp.remove(DUMP + ct)
    _session(pvesim, 'pve1', remove)
    assert 'backup-nfs:backup/' + ct not in _backups(pvesim)
    made = sorted(_backups(pvesim))[0]
    done = _session(pvesim, 'pve1', lambda conn: conn.run('sha256sum -- ' + DUMP + made.split('/', 1)[1],
                                                          check=False))
    assert done.exit_status == 1 and 'keeps no archive bytes' in done.stderr


def test_a_rollback_takes_the_file_with_the_volume(pvesim):
    pvesim.call(pvesim.pve.checkpoint)
    _write(pvesim, 'pve1', DUMP + NAME, vma_bytes('name: gone\n'))
    pvesim.call(pvesim.pve.rollback)
    assert 'backup-nfs:backup/' + NAME not in _backups(pvesim)
    done = _session(pvesim, 'pve1', lambda conn: conn.run('sha256sum -- ' + DUMP + NAME, check=False))
    assert done.exit_status == 1 and 'No such file' in done.stderr
