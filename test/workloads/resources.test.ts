import { parseQuantity } from '../../lib';

describe('parseQuantity', () => {
  test.each([
    ['250m', 0.25],
    ['1', 1],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['2k', 2000],
  ])('%s = %d', (text, value) => {
    expect(parseQuantity(text)).toBe(value);
  });

  test.each(['', 'lots', '1 Gi', '-1', '1gi', '1e3x'])('%s is not a quantity', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });
});
