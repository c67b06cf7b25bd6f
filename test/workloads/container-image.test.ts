import { isPinned } from '../../lib';

describe('isPinned', () => {
  const digest = `@sha256:${'a'.repeat(64)}`;
  test.each([
    ['nginxinc/nginx-unprivileged:1.27.3-alpine', true],
    ['ghcr.io/owner/app:0.1.0', true],
    ['localhost:5000/app:1.0', true],
    [`app${digest}`, true],
    [`app:latest${digest}`, true],
    ['app:latest', false],
    ['app', false],
    ['localhost:5000/app', false],
    ['registry.example:443/team/app', false],
  ])('%s → %s', (reference, pinned) => {
    expect(isPinned(reference)).toBe(pinned);
  });
});
