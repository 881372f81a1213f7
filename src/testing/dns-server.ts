/**
 * A tiny authoritative DNS server over UDP on 127.0.0.1 for discovery tests: answers
 * A, AAAA, SRV, MX and NS questions from a fixed record table, NXDOMAIN otherwise.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

export type DnsRecord =
  | { type: 'A'; ip: string }
  | { type: 'AAAA'; ip: string }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string }
  | { type: 'MX'; preference: number; exchange: string }
  | { type: 'NS'; host: string };

const TYPE_CODES: Record<DnsRecord['type'], number> = { A: 1, NS: 2, MX: 15, AAAA: 28, SRV: 33 };

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p)])), Buffer.from([0])]);
}

function rdata(r: DnsRecord): Buffer {
  switch (r.type) {
    case 'A':
      return Buffer.from(r.ip.split('.').map(Number));
    case 'AAAA': {
      const [head, tail = ''] = r.ip.split('::');
      const h = head ? head.split(':') : [];
      const tl = tail ? tail.split(':') : [];
      const groups = [...h, ...Array(8 - h.length - tl.length).fill('0'), ...tl];
      const b = Buffer.alloc(16);
      groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2));
      return b;
    }
    case 'SRV': {
      const b = Buffer.alloc(6);
      b.writeUInt16BE(r.priority, 0);
      b.writeUInt16BE(r.weight, 2);
      b.writeUInt16BE(r.port, 4);
      return Buffer.concat([b, encodeName(r.target)]);
    }
    case 'MX': {
      const b = Buffer.alloc(2);
      b.writeUInt16BE(r.preference, 0);
      return Buffer.concat([b, encodeName(r.exchange)]);
    }
    case 'NS':
      return encodeName(r.host);
  }
}

export class TestDnsServer {
  private constructor(
    private readonly socket: Socket,
    readonly address: string,
  ) {}

  static async start(records: Record<string, DnsRecord[]>): Promise<TestDnsServer> {
    const socket = createSocket('udp4');
    socket.on('message', (msg, rinfo) => {
      // Question: name labels from offset 12, then qtype and qclass.
      let off = 12;
      const labels: string[] = [];
      while (msg[off] !== 0) {
        labels.push(msg.subarray(off + 1, off + 1 + msg[off]).toString());
        off += msg[off] + 1;
      }
      const qtype = msg.readUInt16BE(off + 1);
      const question = msg.subarray(12, off + 5);
      const answers = (records[labels.join('.').toLowerCase()] ?? []).filter((r) => TYPE_CODES[r.type] === qtype);
      const known = labels.join('.').toLowerCase() in records;
      const header = Buffer.alloc(12);
      msg.copy(header, 0, 0, 2);
      header.writeUInt16BE(0x8400 | (known ? 0 : 3), 2);
      header.writeUInt16BE(1, 4);
      header.writeUInt16BE(answers.length, 6);
      const body = answers.map((r) => {
        const data = rdata(r);
        const fixed = Buffer.alloc(10);
        fixed.writeUInt16BE(TYPE_CODES[r.type], 0);
        fixed.writeUInt16BE(1, 2);
        fixed.writeUInt32BE(30, 4);
        fixed.writeUInt16BE(data.length, 8);
        return Buffer.concat([Buffer.from([0xc0, 0x0c]), fixed, data]);
      });
      socket.send(Buffer.concat([header, question, ...body]), rinfo.port, rinfo.address);
    });
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    return new TestDnsServer(socket, `127.0.0.1:${(socket.address() as AddressInfo).port}`);
  }

  close(): void {
    this.socket.close();
  }
}
