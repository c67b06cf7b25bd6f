import { IConstruct } from 'constructs';

/** A chart's values, rendered (and checked) for the Application that installs the chart. */
export interface IHelmValues {
  /**
   * The values as `helm.valuesObject`. `scope` is the Application, so a bad setting fails synth with
   * the Application's construct path.
   */
  render(scope: IConstruct): Record<string, unknown>;
}

/** Helm values from a plain object, for charts without typed values here. */
export function helmValues(values: Record<string, unknown>): IHelmValues {
  return { render: () => values };
}
