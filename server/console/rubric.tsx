/** Rubric results: per-model means on the six physician axes and inter-rater agreement. */
import { type AxisAgreement, type ModelAverages, RUBRIC_AXES } from "../review/agreement.js";
import { label, type Strings } from "./i18n.js";

export function RubricPage(p: { t: Strings; models: ModelAverages[]; agreement: AxisAgreement[] }) {
  const { t } = p;
  return (
    <>
      <h1>{t.rubricTitle}</h1>
      <p>{t.rubricIntro}</p>
      <table>
        <caption>{t.meanCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.colModel}</th>
            <th scope="col">{t.colScored}</th>
            {RUBRIC_AXES.map((a) => (
              <th scope="col">{label(t.axes, a)}</th>
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
      <h2>{t.hAgreement}</h2>
      <table>
        <caption>{t.kappaCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.colAxis}</th>
            <th scope="col">{t.colKappa}</th>
            <th scope="col">{t.colPairs}</th>
            <th scope="col">{t.colShared}</th>
          </tr>
        </thead>
        <tbody>
          {p.agreement.map((a) => (
            <tr>
              <th scope="row">{label(t.axes, a.axis)}</th>
              <td>{a.kappa === null ? t.notEnough : a.kappa.toFixed(2)}</td>
              <td>{a.pairs}</td>
              <td>{a.sharedCases}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
