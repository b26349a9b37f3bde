# -*- coding: utf-8 -*-
# Copyright: pve.ops contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Value checks of what is nested in guest options (disks, nets, rootfs, mount points, ipconfig, tags),
made before any request, with PVE's formats and ranges (the official schema's, see
tests/unit/test_guest_checks.py, which compares them with it).

Each check raises InvalidArgumentError naming the top-level option (``field``) and the place inside it
(``where``, for example ``disks[0].options.cache``). Top-level numeric options (memory, cores, ...) are not
checked here.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.pve.ops.plugins.module_utils import codec, errors, propstring

# Property-string keys, and what a value may not hold (it would start another property).
PROP_KEY = re.compile(r'^[A-Za-z][A-Za-z0-9_-]*$')
PROP_BREAKERS = re.compile(r'[,=\x00-\x1f\x7f]')
# pve-tag, dns-name, pve-storage-id, mac-addr (unicast), the bridge and interface name patterns.
TAG = re.compile(r'^[a-z0-9_][a-z0-9_+.-]*$', re.I)
_LABEL = r'[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?'
DNS_NAME = re.compile(r'^({0}\.)*{0}$'.format(_LABEL))
STORAGE_ID = re.compile(r'^[a-z][a-z0-9._-]*[a-z0-9]$', re.I)
MAC = re.compile(r'^[a-f0-9][02468ace](:[a-f0-9]{2}){5}$', re.I)
IFACE = re.compile(r'^[-_.\w]+$')
TRUNKS = re.compile(r'^\d+(-\d+)?(;\d+(-\d+)?)*$')
MOUNT_OPTIONS = ('discard', 'lazytime', 'noatime', 'nodev', 'noexec', 'nosuid')
IPCONFIG_KEYS = ('ip', 'gw', 'ip6', 'gw6')


def bad(field, where, text):
    """The error for a bad value at ``where`` inside option ``field``."""
    return errors.InvalidArgumentError('{0}: {1}'.format(where, text), field=field)


def scalar(value, field, where):
    """A value that goes into a property string or a config key: text, a number or a boolean."""
    if isinstance(value, (dict, list, tuple, set)):
        raise bad(field, where, 'give a string, a number or a boolean, not a {0}'.format(type(value).__name__))
    return value


def prop_value(value, field, where):
    """A property's value: a scalar that cannot break out of its property (no comma, no =, no newline)."""
    scalar(value, field, where)
    if isinstance(value, str) and PROP_BREAKERS.search(value):
        raise bad(field, where, '{0!r} may not contain a comma, = or a control character'.format(value))
    return value


def prop_options(options, field, where):
    """The ``options`` dict of a disk, interface or mount point: property names and safe values."""
    for key, value in (options or {}).items():
        if not PROP_KEY.match(str(key)):
            raise bad(field, '{0}.{1}'.format(where, key), 'not a property name (letters, digits, - and _)')
        if value is not None:
            prop_value(value, field, '{0}.{1}'.format(where, key))


def size(value, field, where, plain_gib=False):
    """A disk size (``32G``, ``512M``; with ``plain_gib`` a bare number is GiB): more than 0 bytes."""
    if value is None:
        return None
    text = str(value).strip()
    try:
        nbytes = codec.gib(text) if plain_gib else codec.size_bytes(text)
    except ValueError as exc:
        raise bad(field, where, str(exc)) from None
    if nbytes <= 0:
        raise bad(field, where, '{0!r}: a disk size must be more than 0'.format(value))
    return nbytes


def int_range(value, low, high, field, where):
    if value is None:
        return None
    try:
        number = int(str(value))
    except ValueError:
        raise bad(field, where, '{0!r} is not a whole number'.format(value)) from None
    if (low is not None and number < low) or (high is not None and number > high):
        raise bad(field, where, '{0} is out of range ({1} to {2})'.format(
            number, low, high if high is not None else 'any'))
    return number


def non_negative(value, field, where):
    if value is None:
        return None
    try:
        number = float(str(value))
    except ValueError:
        raise bad(field, where, '{0!r} is not a number'.format(value)) from None
    if number < 0:
        raise bad(field, where, '{0} may not be negative'.format(value))
    return number


def pattern(value, regex, what, field, where):
    if value is not None and not regex.match(str(value)):
        raise bad(field, where, '{0!r} is not {1}'.format(value, what))
    return value


def mac(value, field, where):
    return pattern(value, MAC, 'a unicast MAC address (XX:XX:XX:XX:XX:XX, first byte even)', field, where)


def bridge(value, field, where):
    return pattern(value, IFACE, 'a bridge name (letters, digits, -, _ and .)', field, where)


def storage_id(value, field, where):
    return pattern(value, STORAGE_ID, 'a storage id', field, where)


def dns_name(value, field, where=None):
    return pattern(value, DNS_NAME, 'a DNS name (letters, digits and -, in labels separated by dots)', field,
                   where or field)


def tags(values, field='tags'):
    for position, tag in enumerate(values or []):
        pattern(tag, TAG, "a tag (letters, digits, _, -, + and ., not starting with - + or .)", field,
                '{0}[{1}]'.format(field, position))


def vlan(value, field, where):
    return int_range(value, 1, 4094, field, where)


def trunks(value, field, where):
    return pattern(value, TRUNKS, 'VLAN ids separated by ; (10;20;30-40)', field, where)


def address(value, version, field, where, cidr=False, specials=()):
    """An IPv4 or IPv6 address (``cidr``: with its prefix), or one of ``specials`` (dhcp, auto, manual)."""
    if value is None or value in specials:
        return value
    text = str(value)
    try:
        parsed = ipaddress.ip_interface(text) if cidr else ipaddress.ip_address(text)
    except ValueError:
        parsed = None
    if parsed is None or parsed.version != version or (cidr and '/' not in text):
        what = 'an IPv{0} address{1}'.format(version, ' with its prefix (CIDR)' if cidr else '')
        if specials:
            what += ' or ' + ', '.join(specials)
        raise bad(field, where, '{0!r} is not {1}'.format(value, what))
    return value


def ip_settings(props, field, where, v4_specials, v6_specials):
    """ip, gw, ip6, gw6 of an interface (container nets, cloud-init ipconfig)."""
    address(props.get('ip'), 4, field, where + '.ip', cidr=True, specials=v4_specials)
    address(props.get('gw'), 4, field, where + '.gw')
    address(props.get('ip6'), 6, field, where + '.ip6', cidr=True, specials=v6_specials)
    address(props.get('gw6'), 6, field, where + '.gw6')


def ipconfig(text, field, where):
    """A cloud-init ipconfigN value: ``ip=dhcp`` or ``ip=192.0.2.5/24,gw=192.0.2.1,ip6=auto``."""
    scalar(text, field, where)
    props = propstring.parse(str(text))
    for key in props:
        if key not in IPCONFIG_KEYS:
            raise bad(field, where, '{0!r} is not one of {1}'.format(key, ', '.join(IPCONFIG_KEYS)))
    ip_settings(props, field, where, ('dhcp',), ('dhcp', 'auto'))


def mount_options(value, field, where):
    for option in str(value).split(';'):
        if option not in MOUNT_OPTIONS:
            raise bad(field, where, '{0!r} is not a mount option ({1}; separated by ;)'.format(
                option, ', '.join(MOUNT_OPTIONS)))
