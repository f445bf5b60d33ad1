import { reportingOrgRef } from 'src/open-data/open-data.service';

describe('IATI reporting organisation', () => {
  it('is IATI_REPORTING_ORG_REF when configured, else XI-ANCORA- and the municipality code', () => {
    expect(reportingOrgRef({}, 'C-PADOVA')).toBe('XI-ANCORA-C-PADOVA');
    expect(reportingOrgRef({ iatiReportingOrgRef: 'IT-CF-00644060287' }, 'C-PADOVA')).toBe('IT-CF-00644060287');
  });
});
