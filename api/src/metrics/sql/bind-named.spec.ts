import { bindNamed } from './bind-named.js';

describe('bindNamed', () => {
  it('numbers each name once, in order of first use, and leaves casts alone', () => {
    const [text, params] = bindNamed('SELECT :b::text, :a::int, :b::text', {
      a: 1,
      b: 'x',
      unused: 3,
    });
    expect(text).toBe('SELECT $1::text, $2::int, $1::text');
    expect(params).toEqual(['x', 1]);
  });

  it('refuses a name without a value', () => {
    expect(() => bindNamed('SELECT :missing', {})).toThrow(':missing');
  });
});
