import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { visibleControls } from '../../src/core/visible.js';

describe('visibleControls', () => {
  it('writes bidi controls and C0/C1 controls as escapes, keeps tab, line feed and ordinary text', () => {
    expect(visibleControls('evil\u202eexe.txt')).toBe('evil\\u202eexe.txt');
    expect(visibleControls('\u2066x\u2069 \u0000 \r \u009b')).toBe('\\u2066x\\u2069 \\u0000 \\u000d \\u009b');
    expect(visibleControls('a\tb\nc')).toBe('a\tb\nc');
    for (const plain of ['report_viewed', 'Café ☕', 'مرحبا', 'שלום', '日本語', '👩‍💻']) expect(visibleControls(plain)).toBe(plain);
  });

  it('leaves no bidi or control character but tab and line feed, and changes nothing else (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const v = visibleControls(s);
        expect(v).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
        // Undoing the escapes gives the value back (a value that already held such an escape aside).
        if (!/\\u[0-9a-f]{4}/.test(s)) expect(v.replace(/\\u([0-9a-f]{4})/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))).toBe(s);
      }),
    );
  });
});
