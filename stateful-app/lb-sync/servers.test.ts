import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { firstMapFile, parseMap, parseServersState, serverForUrl } from "./servers.ts";

// As HAProxy 2.6 prints them (`show servers state app`, `show map`, `show map <file>`).
const STATE = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 app 1 s1 127.0.0.1 2 0 1 1 24 6 3 4 6 0 0 0 - 41001 - 0 0 - - 0
3 app 2 s2 127.0.0.1 0 1 1 1 10 8 2 0 6 0 0 0 - 41002 - 0 0 - - 0
3 app 3 s3 127.0.0.1 2 0 1 1 10 8 2 0 6 0 0 0 - 41002 - 0 0 - - 0
3 app 4 s4 10.0.0.7 2 0 1 1 10 8 2 0 6 0 0 0 node-4.local 8080 - 0 0 - - 0
`;

describe("lb-sync: HAProxy runtime API parsing", () => {
  it("reads servers, matches an owner's URL to its server (a ready one first, by address or name)", () => {
    const servers = parseServersState(STATE, "app");
    assert.deepEqual(
      servers.map((s) => [s.name, s.addr, s.port, s.adminState]),
      [
        ["s1", "127.0.0.1", 41001, 0],
        ["s2", "127.0.0.1", 41002, 1],
        ["s3", "127.0.0.1", 41002, 0],
        ["s4", "10.0.0.7", 8080, 0],
      ],
    );
    assert.equal(serverForUrl("http://127.0.0.1:41001", servers), "s1");
    assert.equal(serverForUrl("http://127.0.0.1:41002", servers), "s3", "s2 is in maintenance (a reused port)");
    assert.equal(serverForUrl("http://node-4.local:8080", servers), "s4", "by fqdn");
    assert.equal(serverForUrl("http://pod-4:8080", servers, ["10.0.0.7"]), "s4", "by resolved address");
    assert.equal(serverForUrl("http://127.0.0.1:9", servers), null);
    assert.equal(serverForUrl("not a url", servers), null);
  });

  it("reads maps", () => {
    assert.deepEqual(
      [...parseMap("0x55d0a1 17 s3\n0x55d0a2 5 s1\n\n").entries()],
      [
        ["17", "s3"],
        ["5", "s1"],
      ],
    );
    const list = "# id (file) description\n6 (/run/x/shards.map) pattern loaded from file '/run/x/shards.map'\n";
    assert.equal(firstMapFile(list), "/run/x/shards.map");
    assert.equal(firstMapFile("# id (file) description\n"), null);
  });
});
