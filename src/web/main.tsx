import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { AnnouncerProvider } from './components/Announcer.js';
import { SessionProvider, useSession } from './components/session.js';
import { I18nProvider } from './i18n/i18n.js';
import { LoginPage } from './pages/LoginPage.js';
import { PlansPage } from './pages/PlansPage.js';
import { PlanEditorPage } from './pages/planEditor/PlanEditorPage.js';
import { SetupPage } from './pages/SetupPage.js';
import { JoinPage } from './pages/join/JoinPage.js';
import { PersonalLinkPage } from './pages/join/PersonalLinkPage.js';
import { WorkshopSetupPage } from './pages/workshopSetup/WorkshopSetupPage.js';
import { FacilitatorPage } from './pages/live/FacilitatorPage.js';
import { ParticipantWorkshopPage } from './pages/live/ParticipantWorkshopPage.js';
import { PlenaryPage } from './pages/live/PlenaryPage.js';
import { ConsensusPage } from './pages/synthesis/ConsensusPage.js';
import { SynthesisPage } from './pages/synthesis/SynthesisPage.js';
import { WalkthroughPage } from './pages/synthesis/WalkthroughPage.js';
import { OutcomePage } from './pages/outcome/OutcomePage.js';
import { ImportPage } from './pages/imports/ImportPage.js';
import { AuditPage } from './pages/audit/AuditPage.js';
import { PlacementPage } from './pages/placement/PlacementPage.js';
import { CardsPage } from './pages/cards/CardsPage.js';
import { AccessibilityPage } from './pages/accessibility/AccessibilityPage.js';
import { ConsultationPage } from './pages/consultation/ConsultationPage.js';
import { FollowPage } from './pages/consultation/FollowPage.js';
import { ModerationPage } from './pages/consultation/ModerationPage.js';
import { PlanInputsPage } from './pages/consultation/PlanInputsPage.js';
import { ReceiptPage } from './pages/consultation/ReceiptPage.js';
import './styles.css';

/** Pages for planners and facilitators: wait for the session, send strangers to the login. */
function RequireUser({ children }: { children: ReactNode }) {
  const { status, session } = useSession();
  const location = useLocation();
  if (!status) return null;
  // Remember where the person was going (a facilitator's /facilitate link), so the login brings them back.
  if (!session) return <Navigate to={status.needsSetup ? '/login?setup=1' : '/login'} replace state={{ from: `${location.pathname}${location.search}` }} />;
  return children;
}

function App() {
  return (
    <Routes>
      <Route path="/setup" element={<SetupPage />} />
      <Route path="/login" element={<LoginPage />} />
      <Route path="/" element={<RequireUser><PlansPage /></RequireUser>} />
      <Route path="/plans/:planId" element={<RequireUser><PlanEditorPage /></RequireUser>} />
      {/* workshops: setup for planners and facilitators; joining is public */}
      <Route path="/workshops/:workshopId" element={<RequireUser><WorkshopSetupPage /></RequireUser>} />
      <Route path="/workshops/:workshopId/cards" element={<RequireUser><CardsPage /></RequireUser>} />
      <Route path="/join" element={<JoinPage />} />
      <Route path="/join/:code" element={<JoinPage />} />
      <Route path="/p/:token" element={<PersonalLinkPage />} />
      {/* live: a participant's posters (one connection for the list and each poster), the facilitator's table, the plenary screen */}
      <Route path="/w/:workshopId/*" element={<ParticipantWorkshopPage />} />
      <Route path="/facilitate/:workshopId" element={<RequireUser><FacilitatorPage /></RequireUser>} />
      <Route path="/view/:viewerToken" element={<PlenaryPage />} />
      {/* synthesis: planners assess and revise, facilitators read; a participant sees what happened to their input */}
      <Route path="/workshops/:workshopId/synthesis" element={<RequireUser><SynthesisPage /></RequireUser>} />
      <Route path="/workshops/:workshopId/synthesis/consensus" element={<RequireUser><ConsensusPage /></RequireUser>} />
      <Route path="/workshops/:workshopId/synthesis/assess" element={<RequireUser><WalkthroughPage /></RequireUser>} />
      <Route path="/outcome" element={<OutcomePage />} />
      {/* høring: the public page, receipt and follow link need no account; moderation is for planners */}
      <Route path="/consultations/:consultationId" element={<ConsultationPage />} />
      <Route path="/consultations/:consultationId/receipt" element={<ReceiptPage />} />
      <Route path="/follow/:token" element={<FollowPage />} />
      <Route path="/plans/:planId/inputs" element={<RequireUser><PlanInputsPage /></RequireUser>} />
      <Route path="/consultations/:consultationId/moderate" element={<RequireUser><ModerationPage /></RequireUser>} />
      {/* imports: a whiteboard export, open data or lapper from paper; then place what the import could not */}
      <Route path="/import" element={<RequireUser><ImportPage /></RequireUser>} />
      <Route path="/audit" element={<RequireUser><AuditPage /></RequireUser>} />
      <Route path="/workshops/:workshopId/place" element={<RequireUser><PlacementPage /></RequireUser>} />
      <Route path="/accessibility" element={<AccessibilityPage />} />
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <AnnouncerProvider>
          <BrowserRouter>
            <App />
          </BrowserRouter>
        </AnnouncerProvider>
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
