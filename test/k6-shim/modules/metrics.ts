// Shim of `k6/metrics`: each add() becomes one sample, with the VU's metadata, as k6 emits it.
import { emit, type ShimSample } from "../state.ts";

class Metric {
  constructor(
    readonly name: string,
    private readonly kind: ShimSample["type"],
    private readonly contains: ShimSample["contains"],
  ) {}
  add(value: number | boolean, tags?: Record<string, string>): boolean {
    emit(this.name, this.kind, this.contains, typeof value === "boolean" ? Number(value) : value, tags);
    return true;
  }
}

export class Counter extends Metric {
  constructor(name: string) {
    super(name, "counter", "default");
  }
}
export class Gauge extends Metric {
  constructor(name: string, isTime = false) {
    super(name, "gauge", isTime ? "time" : "default");
  }
}
export class Rate extends Metric {
  constructor(name: string) {
    super(name, "rate", "default");
  }
}
export class Trend extends Metric {
  constructor(name: string, isTime = false) {
    super(name, "trend", isTime ? "time" : "default");
  }
}
