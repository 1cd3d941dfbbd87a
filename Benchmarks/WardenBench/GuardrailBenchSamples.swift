/// Hand-written code and data samples of the kind models write and users paste: the bulk of the benchmark input.
enum GuardrailBenchSamples {
    static let proseWords = """
        the a to of and in is it you that for on with as this be are was at by from or an have not but what all were \
        when we there can more if will one about which their your so out up into do has then them these some her would \
        make like him time could see other than now look only come its over think also back after use two how our work \
        first well way even new want because any give day most us request response server client database cache query \
        deploy build release version config service account storage token secret password user session error retry \
        timeout latency throughput function method class struct module package import export async await stream buffer \
        pattern path compatible task ask risk desk skip status focus keyword address contact phone number payment card \
        access key credential update select insert delete execute origin debug random verify exec eval shell process
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    static let swiftCode = """
        import Foundation

        /// Keeps the most recent values for a key and evicts the oldest once the cache is full.
        final class LRUCache<Key: Hashable, Value> {
            private var storage: [Key: Value] = [:]
            private var order: [Key] = []
            let capacity: Int

            init(capacity: Int) { self.capacity = capacity }

            func value(for key: Key) -> Value? {
                guard let value = storage[key] else { return nil }
                order.removeAll { $0 == key }
                order.append(key)
                return value
            }

            func insert(_ value: Value, for key: Key) {
                if storage[key] == nil, storage.count >= capacity, let oldest = order.first {
                    storage[oldest] = nil
                    order.removeFirst()
                }
                storage[key] = value
                order.removeAll { $0 == key }
                order.append(key)
            }
        }

        struct RetryPolicy: Sendable {
            var attempts = 3
            var baseDelay: Duration = .milliseconds(200)

            func delay(forAttempt attempt: Int) -> Duration { baseDelay * (1 << min(attempt, 6)) }
        }
        """

    static let pythonCode = """
        import json
        import logging
        from dataclasses import dataclass, field

        log = logging.getLogger(__name__)


        @dataclass
        class Order:
            id: int
            customer: str
            items: list[dict] = field(default_factory=list)

            def total(self) -> float:
                return sum(item["price"] * item["quantity"] for item in self.items)


        def load_orders(path: str) -> list[Order]:
            with open(path, encoding="utf-8") as handle:
                raw = json.load(handle)
            orders = [Order(**entry) for entry in raw["orders"]]
            log.info("loaded %d orders from %s", len(orders), path)
            return orders


        def summarize(orders: list[Order]) -> dict[str, float]:
            totals: dict[str, float] = {}
            for order in orders:
                totals[order.customer] = totals.get(order.customer, 0.0) + order.total()
            return dict(sorted(totals.items(), key=lambda pair: pair[1], reverse=True))
        """

    static let javascriptCode = """
        import express from "express";
        import { z } from "zod";

        const app = express();
        app.use(express.json({ limit: "1mb" }));

        const Todo = z.object({ title: z.string().min(1), done: z.boolean().default(false) });
        const todos = new Map();

        app.get("/todos", (req, res) => {
          const page = Number.parseInt(req.query.page ?? "1", 10);
          const items = [...todos.values()].slice((page - 1) * 20, page * 20);
          res.json({ page, items });
        });

        app.post("/todos", (req, res) => {
          const parsed = Todo.safeParse(req.body);
          if (!parsed.success) return res.status(400).json(parsed.error.flatten());
          const id = crypto.randomUUID();
          todos.set(id, { id, ...parsed.data });
          res.status(201).json(todos.get(id));
        });

        app.listen(process.env.PORT ?? 3000, () => console.log("listening"));
        """

    static let goCode = """
        package main

        import (
        \t"context"
        \t"encoding/json"
        \t"log"
        \t"net/http"
        \t"time"
        )

        type Health struct {
        \tStatus  string        `json:"status"`
        \tUptime  time.Duration `json:"uptime"`
        \tVersion string        `json:"version"`
        }

        func healthHandler(started time.Time) http.HandlerFunc {
        \treturn func(w http.ResponseWriter, r *http.Request) {
        \t\tw.Header().Set("Content-Type", "application/json")
        \t\t_ = json.NewEncoder(w).Encode(Health{Status: "ok", Uptime: time.Since(started), Version: "1.4.2"})
        \t}
        }

        func main() {
        \tctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
        \tdefer cancel()
        \tmux := http.NewServeMux()
        \tmux.HandleFunc("/healthz", healthHandler(time.Now()))
        \tsrv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 3 * time.Second}
        \t_ = ctx
        \tlog.Fatal(srv.ListenAndServe())
        }
        """

    static let json = """
        {
          "id": "evt_20240517_000123",
          "type": "invoice.paid",
          "created": 1715950000,
          "data": {
            "amount": 12900,
            "currency": "eur",
            "lines": [
              {"sku": "PLAN-PRO-M", "quantity": 1, "unit_amount": 9900},
              {"sku": "SEAT-EXTRA", "quantity": 3, "unit_amount": 1000}
            ],
            "customer": {"name": "Acme GmbH", "country": "DE", "tax_exempt": false},
            "metadata": {"region": "eu-west-1", "build": "2024.05.17-rc2", "trace": "3f2b6c1e-8a4d-4e2f-9b71-0c5d2e8f6a13"}
          }
        }
        """

    static let shellCode = """
        #!/usr/bin/env bash
        set -euo pipefail
        for service in api worker scheduler; do
          docker compose logs --since 10m "$service" | grep -i error | tail -n 20
        done
        kubectl rollout status deployment/api --timeout=120s
        """

    static let fencedCode: [(language: String, code: String)] = [
        ("swift", swiftCode), ("python", pythonCode), ("javascript", javascriptCode), ("go", goCode), ("json", json),
        ("bash", shellCode),
    ]
}
