/** Rubric results: per-model means on the six physician axes and inter-rater agreement. */
import { AXIS_LABELS, type AxisAgreement, type ModelAverages, RUBRIC_AXES } from "../review/agreement.js";

export function RubricPage(p: { models: ModelAverages[]; agreement: AxisAgreement[] }) {
  return (
    <>
      <h1>Rubric</h1>
      <p>
        Reviewers score cases 1–5 on the six axes the paper's endocrinologists used. Agreement is the quadratic-weighted Cohen's
        kappa of each pair of reviewers over the cases both scored (at least two), averaged over pairs.
      </p>
      <table>
        <caption>Mean score per model</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Cases scored</th>
            {RUBRIC_AXES.map((a) => (
              <th scope="col">{AXIS_LABELS[a]}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.models.map((m) => (
            <tr>
              <th scope="row">{m.model}</th>
              <td>{m.n}</td>
              {RUBRIC_AXES.map((a) => (
                <td>{m.means[a].toFixed(2)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Inter-rater agreement</h2>
      <table>
        <caption>Quadratic-weighted Cohen's kappa per axis</caption>
        <thead>
          <tr>
            <th scope="col">Axis</th>
            <th scope="col">Kappa</th>
            <th scope="col">Reviewer pairs</th>
            <th scope="col">Shared cases</th>
          </tr>
        </thead>
        <tbody>
          {p.agreement.map((a) => (
            <tr>
              <th scope="row">{AXIS_LABELS[a.axis]}</th>
              <td>{a.kappa === null ? "not enough overlap" : a.kappa.toFixed(2)}</td>
              <td>{a.pairs}</td>
              <td>{a.sharedCases}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
