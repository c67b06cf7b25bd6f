import { Resources } from '../lib';

/** Requests and limits of a small workload (a static site, a proxy). */
export const SMALL: Resources = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } };
