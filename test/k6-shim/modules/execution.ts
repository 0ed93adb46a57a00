// Shim of `k6/execution`: the scenario and VU of the iteration the runner is executing.
import { shim } from "../state.ts";

const execution = {
  get scenario() {
    return shim.scenario;
  },
  vu: {
    get idInTest() {
      return shim.vu.idInTest;
    },
    get iterationInScenario() {
      return shim.vu.iterationInScenario;
    },
    metrics: {
      tags: {} as Record<string, string>,
      get metadata() {
        return shim.vu.metadata;
      },
    },
  },
  test: {
    abort(message?: string): never {
      throw new Error(`test aborted: ${message ?? ""}`);
    },
  },
};

export default execution;
