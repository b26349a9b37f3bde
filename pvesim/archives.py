# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reading the guest configuration out of a real vzdump archive, as `vzdump/extractconfig` and a restore do.

- `.vma` (a VM): the VMA header (pve-qemu's vma_spec.txt: magic `VMA\\0`, version 1, then the blob buffer
  offset and size, 256 config name and data pointers into the blob buffer, each blob a little-endian 16-bit
  length and its bytes); the config blob named `qemu-server.conf` is the VM's configuration.
- `.tar` (a container): the member `./etc/vzdump/pct.conf`.
- Compression: none or `.gz` are read. `.zst` and `.lzo` are not (no decoder in the simulator): such an
  archive is listed and can be copied, but `read_archive` says it cannot read it, and a restore refuses it.

The config text is read as qemu-server and pve-container parse it: `#` lines are the description (percent
decoded), `key: value` lines the options, and reading stops at the first section (`[snapshot]`, `[PENDING]`).
vzdump's own `#qmdump#` lines are not description.
"""

import gzip
import io
import re
import struct
import tarfile
import urllib.parse

VMA_MAGIC = b'VMA\x00'
VMA_HEADER = struct.Struct('>4sI16sQ16sIII')
VMA_CONFIGS = 256
# The fixed part of the VMA header: the fields above, 1984 reserved bytes, the config name and data pointers,
# 4 reserved bytes and 256 device entries of 32 bytes: the blob buffer follows at 12288.
VMA_CONFIG_POINTERS = VMA_HEADER.size + 1984
VMA_HEADER_LIMIT = 16 * 1024 * 1024
CT_CONFIG = './etc/vzdump/pct.conf'
VM_CONFIG = 'qemu-server.conf'


class ArchiveError(Exception):
    """An archive the simulator cannot read (the message says why)."""


def parse_config_text(text):
    """A qemu-server or pve-container config file's text as {key: value} (description from the # lines)."""
    config, description = {}, []
    for line in text.splitlines():
        if line.startswith('['):
            break
        if line.startswith('#qmdump#'):
            continue
        if line.startswith('#'):
            description.append(urllib.parse.unquote(line[1:]))
            continue
        found = re.match(r'^([a-z][a-z0-9_-]*\d*):\s*(.*?)\s*$', line)
        if found:
            config[found.group(1)] = found.group(2)
    if description:
        config['description'] = '\n'.join(description)
    return config


def _blob(buffer, pointer):
    if pointer + 2 > len(buffer):
        raise ArchiveError('VMA header: a config pointer is outside the blob buffer')
    (length,) = struct.unpack_from('<H', buffer, pointer)
    data = buffer[pointer + 2:pointer + 2 + length]
    if len(data) != length:
        raise ArchiveError('VMA header: a config blob is truncated')
    return data


def _vma_config(handle):
    head = handle.read(VMA_CONFIG_POINTERS + VMA_CONFIGS * 8)
    if len(head) < VMA_CONFIG_POINTERS + VMA_CONFIGS * 8:
        raise ArchiveError('not a VMA archive (too short)')
    magic, version, _uuid, _ctime, _md5, blob_offset, blob_size, header_size = VMA_HEADER.unpack_from(head)
    if magic != VMA_MAGIC:
        raise ArchiveError('not a VMA archive (no VMA magic)')
    if version != 1:
        raise ArchiveError('VMA version {0} is not supported'.format(version))
    if header_size > VMA_HEADER_LIMIT or blob_offset + blob_size > header_size:
        raise ArchiveError('VMA header: bad blob buffer bounds')
    names = struct.unpack_from('>{0}I'.format(VMA_CONFIGS), head, VMA_CONFIG_POINTERS)
    data = struct.unpack_from('>{0}I'.format(VMA_CONFIGS), head, VMA_CONFIG_POINTERS + VMA_CONFIGS * 4)
    handle.read(blob_offset - len(head))
    buffer = handle.read(blob_size)
    for name_ptr, data_ptr in zip(names, data, strict=True):
        if name_ptr and _blob(buffer, name_ptr).rstrip(b'\x00') == VM_CONFIG.encode():
            return _blob(buffer, data_ptr).decode('utf-8', 'replace')
    raise ArchiveError('VMA archive holds no {0}'.format(VM_CONFIG))


def _tar_config(handle):
    try:
        with tarfile.open(fileobj=handle, mode='r|') as tar:
            for member in tar:
                if member.name in (CT_CONFIG, CT_CONFIG[2:]) and member.isfile():
                    return tar.extractfile(member).read().decode('utf-8', 'replace')
    except tarfile.TarError as exc:
        raise ArchiveError('not a tar archive ({0})'.format(exc)) from None
    raise ArchiveError('tar archive holds no {0}'.format(CT_CONFIG))


def read_archive(path, kind, fmt):
    """{'type': kind, 'config': {...}} of the archive file at path; ArchiveError when it cannot be read.

    kind: 'qemu' or 'lxc' (from the file name); fmt: 'vma', 'tar', 'vma.gz', ... (the extension)."""
    base, _dot, compression = fmt.partition('.')
    if compression not in ('', 'gz'):
        raise ArchiveError('pvesim reads uncompressed and .gz archives only, not .{0} (no decoder here)'.format(
            compression))
    with open(path, 'rb') as raw:
        handle = gzip.GzipFile(fileobj=raw) if compression == 'gz' else raw
        try:
            text = _vma_config(handle) if base == 'vma' else _tar_config(handle)
        except (OSError, EOFError, struct.error) as exc:
            raise ArchiveError('unreadable archive ({0})'.format(exc)) from None
    return {'type': kind, 'config': parse_config_text(text)}


def vma_bytes(config_text, ctime=0):
    """A VMA archive that holds a config and no disk data (tests write real archives with it)."""
    blobs = bytearray(b'\x00')

    def add(data):
        pointer = len(blobs)
        blobs.extend(struct.pack('<H', len(data)) + data)
        return pointer
    name_ptr = add(VM_CONFIG.encode() + b'\x00')
    data_ptr = add(config_text.encode())
    offset = 12288
    header = bytearray(offset)
    VMA_HEADER.pack_into(header, 0, VMA_MAGIC, 1, b'\x00' * 16, int(ctime), b'\x00' * 16, offset, len(blobs),
                         offset + len(blobs))
    struct.pack_into('>I', header, VMA_CONFIG_POINTERS, name_ptr)
    struct.pack_into('>I', header, VMA_CONFIG_POINTERS + VMA_CONFIGS * 4, data_ptr)
    return bytes(header) + bytes(blobs)


def tar_bytes(config_text):
    """A container archive (tar) that holds its pct.conf (tests write real archives with it)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode='w', format=tarfile.GNU_FORMAT) as tar:
        data = config_text.encode()
        info = tarfile.TarInfo(CT_CONFIG)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return out.getvalue()
