"""Drives `cinch serve`'s Vault API with hvac, HashiCorp's Python client, and checks the answers
Vault gives. Run by Tests/CinchCLITests/Vault/HVACClientTests.swift with VAULT_ADDR, VAULT_TOKEN,
AUDIT_LOG and CANARY set. Prints one line per check; exits 1 at the first failure."""
import base64
import os
import sys

import hvac
from hvac import exceptions

client = hvac.Client(url=os.environ["VAULT_ADDR"], token=os.environ["VAULT_TOKEN"])
canary = os.environ["CANARY"]
checks = 0


def check(name, condition, detail=""):
    global checks
    if not condition:
        print(f"FAIL {name}: {detail}")
        sys.exit(1)
    checks += 1
    print(f"ok {name}")


def raises(kind, call):
    try:
        call()
    except kind as error:
        return error
    return None


# Tokens and health
check("authenticated", client.is_authenticated())
check("bad token", not hvac.Client(url=os.environ["VAULT_ADDR"], token="hvs.nope").is_authenticated())
health = client.sys.read_health_status(method="GET")
check("health", health["initialized"] and not health["sealed"], health)
check("lookup-self root", client.auth.token.lookup_self()["data"]["policies"] == ["root"])
child = client.auth.token.create(policies=["app"], ttl="1h")["auth"]
check("token create", child["client_token"].startswith("hvs.") and child["lease_duration"] == 3600)
check("token create policies and parent", child["policies"] == ["app", "default"] and child["orphan"] is False, child)
wrapped = raises(exceptions.InvalidRequest, lambda: client.auth.token.create(policies=["app"], wrap_ttl="5m"))
check("response wrapping refused", wrapped is not None and "response wrapping" in str(wrapped), wrapped)
check("seal status", client.sys.read_seal_status()["sealed"] is False and not client.sys.is_sealed())
app = hvac.Client(url=os.environ["VAULT_ADDR"], token=child["client_token"])
check("child authenticated", app.is_authenticated())
check("child may not mount", raises(exceptions.Forbidden, lambda: app.sys.enable_secrets_engine("transit", path="nope")) is not None)

# Token management: lookup, renew and revoke by token or accessor, revoke-orphan, accessors
tokens = client.auth.token
managed = tokens.create(policies=["app"], ttl="1h")["auth"]
looked = tokens.lookup(managed["client_token"])["data"]
check("token lookup", looked["id"] == managed["client_token"] and looked["accessor"] == managed["accessor"] and looked["creation_ttl"] == 3600 and looked["path"] == "auth/token/create", looked)
by_accessor = tokens.lookup_accessor(managed["accessor"])["data"]
check("token lookup by accessor hides the id", by_accessor["id"] == "" and by_accessor["policies"] == ["app", "default"], by_accessor)
bad = raises(exceptions.Forbidden, lambda: tokens.lookup("hvs.nope"))
check("token lookup bad token", bad is not None and "bad token" in str(bad), bad)
invalid = raises(exceptions.InvalidRequest, lambda: tokens.lookup_accessor("nope"))
check("token lookup invalid accessor", invalid is not None and "invalid accessor" in str(invalid), invalid)
renewed = tokens.renew(managed["client_token"], increment="2h")["auth"]
check("token renew", renewed["lease_duration"] == 7200 and renewed["client_token"] == managed["client_token"], renewed)
renewed = tokens.renew_accessor(managed["accessor"], increment=600)["auth"]
check("token renew by accessor", renewed["lease_duration"] == 600 and renewed["client_token"] == "", renewed)
after = tokens.lookup_accessor(managed["accessor"])["data"]
check("token lookup after renewal", after["creation_ttl"] == 3600 and after["last_renewal_time"] > 0, after)
check("token accessors", managed["accessor"] in tokens.list_accessors()["data"]["keys"])
limited = hvac.Client(url=os.environ["VAULT_ADDR"], token=managed["client_token"])
check("non-root may not list accessors", raises(exceptions.Forbidden, lambda: limited.auth.token.list_accessors()) is not None)
check("non-root may not look up by token", raises(exceptions.Forbidden, lambda: limited.auth.token.lookup(managed["client_token"])) is not None)
check("non-root looks itself up", limited.auth.token.lookup_self()["data"]["accessor"] == managed["accessor"])
check("lookup-self answers the caller's own token as id", limited.auth.token.lookup_self()["data"]["id"] == limited.token)
parent = tokens.create(policies=["root"], ttl="1h")["auth"]
parent_client = hvac.Client(url=os.environ["VAULT_ADDR"], token=parent["client_token"])
kid = parent_client.auth.token.create(policies=["app"], ttl="1h")["auth"]
check("child of a child", kid["orphan"] is False, kid)
tokens.revoke_and_orphan_children(parent["client_token"])
check("revoke-orphan ends the token", not parent_client.is_authenticated())
check("revoke-orphan leaves the child, orphaned", tokens.lookup(kid["client_token"])["data"]["orphan"] is True)
check("token revoke", tokens.revoke(kid["client_token"]).status_code == 204 and raises(exceptions.Forbidden, lambda: tokens.lookup(kid["client_token"])) is not None)
tokens.revoke_accessor(managed["accessor"])
check("token revoke by accessor", not limited.is_authenticated())

# KV v2
kv = client.secrets.kv.v2
written = kv.create_or_update_secret(path="myapp/db", secret={"password": canary, "port": 5432})
check("kv write version 1", written["data"]["version"] == 1, written)
read = kv.read_secret_version(path="myapp/db", raise_on_deleted_version=True)
check("kv read", read["data"]["data"] == {"password": canary, "port": 5432}, read)
cas = raises(exceptions.InvalidRequest, lambda: kv.create_or_update_secret(path="myapp/db", secret={"a": "b"}, cas=0))
check("kv cas mismatch", cas is not None and "check-and-set parameter did not match the current version" in str(cas), cas)
kv.patch(path="myapp/db", secret={"user": "app"})
check("kv patch (read + cas write)", kv.read_secret_version(path="myapp/db", raise_on_deleted_version=True)["data"]["data"]["user"] == "app")
check("kv list", kv.list_secrets(path="")["data"]["keys"] == ["myapp/"])
check("kv list folder", kv.list_secrets(path="myapp")["data"]["keys"] == ["db"])
meta = kv.read_secret_metadata(path="myapp/db")["data"]
check("kv metadata", meta["current_version"] == 2 and sorted(meta["versions"]) == ["1", "2"], meta)
kv.update_metadata(path="myapp/db", max_versions=2, custom_metadata={"owner": "jdoe"})
kv.create_or_update_secret(path="myapp/db", secret={"password": "v3"})
meta = kv.read_secret_metadata(path="myapp/db")["data"]
check("kv max_versions prunes", sorted(meta["versions"]) == ["2", "3"] and meta["oldest_version"] == 2, meta)
check("kv custom_metadata in reads", kv.read_secret_version(path="myapp/db", raise_on_deleted_version=True)["data"]["metadata"]["custom_metadata"] == {"owner": "jdoe"})
check("kv pruned version is InvalidPath", raises(exceptions.InvalidPath, lambda: kv.read_secret_version(path="myapp/db", version=1, raise_on_deleted_version=True)) is not None)
kv.delete_latest_version_of_secret(path="myapp/db")
deleted = kv.read_secret_version(path="myapp/db", raise_on_deleted_version=False)
check("kv deleted version body", deleted["data"]["data"] is None and deleted["data"]["metadata"]["deletion_time"] != "", deleted)
check("kv deleted raises when asked", raises(exceptions.InvalidPath, lambda: kv.read_secret_version(path="myapp/db", raise_on_deleted_version=True)) is not None)
kv.undelete_secret_versions(path="myapp/db", versions=[3])
check("kv undelete", kv.read_secret_version(path="myapp/db", raise_on_deleted_version=True)["data"]["data"] == {"password": "v3"})
kv.destroy_secret_versions(path="myapp/db", versions=[3])
destroyed = raises(exceptions.InvalidPath, lambda: kv.read_secret_version(path="myapp/db", raise_on_deleted_version=False))
check("kv destroyed (never deleted) still raises", destroyed is not None)
check("kv subkeys", client.adapter.get("/v1/secret/subkeys/myapp/db", params={"version": 2})["data"]["subkeys"] == {"password": None, "port": None, "user": None})
kv.configure(max_versions=5, cas_required=False)
check("kv config", kv.read_configuration()["data"]["max_versions"] == 5)
kv.delete_metadata_and_all_versions(path="myapp/db")
check("kv metadata delete", raises(exceptions.InvalidPath, lambda: kv.read_secret_metadata(path="myapp/db")) is not None)
check("kv missing is InvalidPath", raises(exceptions.InvalidPath, lambda: kv.read_secret_version(path="none", raise_on_deleted_version=True)) is not None)
check("child reads kv", app.secrets.kv.v2.create_or_update_secret(path="child", secret={"k": "v"})["data"]["version"] == 1)

# Mounts
client.sys.enable_secrets_engine("kv", path="team", options={"version": "2"})
client.sys.enable_secrets_engine("transit")
mounts = client.sys.list_mounted_secrets_engines()["data"]
check("mounts", {"secret/", "team/", "transit/"} <= set(mounts) and mounts["team/"]["options"] == {"version": "2"}, mounts)
client.secrets.kv.v2.create_or_update_secret(path="x", secret={"k": "v"}, mount_point="team")
check("second kv mount", client.secrets.kv.v2.read_secret_version(path="x", mount_point="team", raise_on_deleted_version=True)["data"]["data"] == {"k": "v"})
in_use = raises(exceptions.InvalidRequest, lambda: client.sys.enable_secrets_engine("transit"))
check("mount path in use", in_use is not None and "path is already in use at transit/" in str(in_use), in_use)
client.sys.disable_secrets_engine("team")
check("unmount", "team/" not in client.sys.list_mounted_secrets_engines()["data"])

# Transit
transit = client.secrets.transit
transit.create_key(name="app")
key = transit.read_key(name="app")["data"]
check("transit key", key["type"] == "aes256-gcm96" and key["latest_version"] == 1, key)
plaintext = base64.b64encode(canary.encode()).decode()
ciphertext = transit.encrypt_data(name="app", plaintext=plaintext)["data"]["ciphertext"]
check("transit encrypt", ciphertext.startswith("vault:v1:"), ciphertext)
check("transit decrypt", transit.decrypt_data(name="app", ciphertext=ciphertext)["data"]["plaintext"] == plaintext)
transit.rotate_key(name="app")
rewrapped = transit.rewrap_data(name="app", ciphertext=ciphertext)["data"]["ciphertext"]
check("transit rewrap", rewrapped.startswith("vault:v2:"), rewrapped)
transit.update_key_configuration(name="app", min_decryption_version=2)
old = raises(exceptions.InvalidRequest, lambda: transit.decrypt_data(name="app", ciphertext=ciphertext))
check("transit min_decryption_version", old is not None and "ciphertext or signature version is disallowed by policy (too old)" in str(old), old)
datakey = transit.generate_data_key(name="app", key_type="plaintext")["data"]
check("transit datakey", transit.decrypt_data(name="app", ciphertext=datakey["ciphertext"])["data"]["plaintext"] == datakey["plaintext"])
batch = transit.encrypt_data(name="app", batch_input=[{"plaintext": plaintext}, {"plaintext": plaintext}])["data"]["batch_results"]
check("transit batch", len(batch) == 2 and all(item["ciphertext"].startswith("vault:v2:") for item in batch), batch)
refused = raises(exceptions.InvalidRequest, lambda: transit.delete_key(name="app"))
check("transit delete refused", refused is not None and "deletion is not allowed for this key" in str(refused), refused)

# Audit
client.sys.enable_audit_device(device_type="file", options={"file_path": os.environ["AUDIT_LOG"]})
client.sys.enable_audit_device(device_type="file", path="discarded", options={"file_path": "discard"})
devices = client.sys.list_enabled_audit_devices()["data"]
check("audit devices", set(devices) == {"file/", "discarded/"}, devices)
kv.create_or_update_secret(path="audited", secret={"password": canary})
kv.read_secret_version(path="audited", raise_on_deleted_version=True)
digest = client.sys.calculate_hash(path="file", input_to_hash=canary)["data"]["hash"]
check("audit-hash format", digest.startswith("hmac-sha256:") and len(digest) == 12 + 64, digest)
with open(os.environ["AUDIT_LOG"]) as log:
    text = log.read()
check("audit log has the hash, not the value", digest in text and canary not in text)
other = client.sys.calculate_hash(path="discarded", input_to_hash=canary)["data"]["hash"]
check("audit salt per device", other != digest)
unknown = raises(exceptions.InvalidRequest, lambda: client.sys.calculate_hash(path="nope", input_to_hash="x"))
check("audit-hash unknown device", unknown is not None and 'unknown audit backend "nope/"' in str(unknown), unknown)
client.sys.disable_audit_device(path="discarded")
client.sys.disable_audit_device(path="file")

print(f"{checks} checks passed")
