//! `конверсия_по_каналам Рекомендации 40%, Реклама 15%`: a stage's conversion for the leads of
//! named channels (`model::segments` reads it; the check that each channel feeds the stage's
//! pipeline, W0047, is in `check::segments`).

use super::*;
use crate::model::ChannelConversion;

impl Lowerer {
    pub(super) fn channel_conversions(&mut self, st: &Stmt, out: &mut Vec<ChannelConversion>) {
        for c in st.children.iter().filter(|c| c.key == Rule::channel_share) {
            let Some(ident) = first_ident(c) else { continue };
            let channel = self.reference(NameSpace::Channel, ident);
            let Some(conversion) = quantities(c).next().and_then(|q| self.probability(q)) else {
                continue;
            };
            if out.iter().any(|x| x.channel == channel) {
                self.err(Kind::ChannelConversionTwice { channel }, ident.span);
                continue;
            }
            out.push(ChannelConversion {
                channel,
                conversion,
                span: c.span,
            });
        }
    }
}
